"""Paths of the bundled data and settings that write only under a given folder."""

import shutil
from pathlib import Path

from {{ cookiecutter.package_name }}.labels import LABELS
from {{ cookiecutter.package_name }}.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_DATA = PROJECT_ROOT / "data" / "messages.csv"
UNLABELLED_DATA = PROJECT_ROOT / "data" / "unlabelled.csv"


def write_unlearnable_data(path: Path) -> Path:
    """Labelled messages whose labels have nothing to do with their text."""
    rows = [f"n{i},message number {i},{LABELS[i * 7 % 11 % len(LABELS)]}" for i in range(100)]
    path.write_text("\n".join(["message_id,text,label", *rows]) + "\n", encoding="utf-8")
    return path


def make_settings(root: Path, **overrides: object) -> Settings:
    """Settings on the bundled data, writing the store, reports and docs under `root`."""
    docs = root / "docs"
    if not docs.exists():
        shutil.copytree(PROJECT_ROOT / "docs", docs)
    values: dict[str, object] = {
        "training_data": [str(BUNDLED_DATA)],
        "unlabelled_data": UNLABELLED_DATA,
        "model_store": str(root / "models"),
        "reports_dir": root / "reports",
        "docs_dir": docs,
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[arg-type]
