from datetime import UTC, datetime
from pathlib import Path

import pytest
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.model import build_pipeline
from {{ cookiecutter.package_name }}.settings import ModelParams
from {{ cookiecutter.package_name }}.store import (
    CodeVersion,
    DataProvenance,
    ModelMetadata,
    ModelNotFoundError,
    ModelStore,
    new_version,
)


def fitted() -> Pipeline:
    return build_pipeline(ModelParams(char_ngram_max=3), seed=0).fit(
        ["parcel late", "charged twice", "parcel lost", "charged again"],
        ["shipping", "billing", "shipping", "billing"],
    )


def metadata(macro_f1: float = 0.9) -> ModelMetadata:
    now = datetime.now(UTC)
    return ModelMetadata(
        version=new_version(now),
        trained_at=now,
        labels=["billing", "shipping"],
        metrics={"macro_f1": macro_f1},
        params={"regularization_c": 1.0},
        data=DataProvenance(sha256="0" * 64, rows=4, files=["data/messages.csv"]),
        code=CodeVersion(package_version="0.1.0", git_commit=None),
        libraries={"scikit-learn": "1.0"},
    )


def test_saved_versions_load_with_their_metadata_and_artifacts(tmp_path: Path) -> None:
    store = ModelStore(str(tmp_path / "models"))
    first, second = metadata(0.8), metadata(0.9)
    store.save(fitted(), first, {"report.txt": b"first"})
    store.save(fitted(), second, {"report.txt": b"second"})
    assert store.versions() == sorted([first.version, second.version])
    loaded = store.load(second.version)
    assert loaded.metadata == second
    assert list(loaded.pipeline.predict(["parcel"])) == ["shipping"]
    assert store.artifact(first.version, "report.txt") == b"first"


def test_latest_follows_promotion_only(tmp_path: Path) -> None:
    store = ModelStore(str(tmp_path / "models"))
    first, second = metadata(), metadata()
    store.save(fitted(), first, {})
    with pytest.raises(ModelNotFoundError, match="run `make train` first"):
        store.load()
    store.promote(first.version)
    store.save(fitted(), second, {})
    assert store.resolve() == first.version
    store.promote(second.version)
    assert store.load().metadata.version == second.version
    assert not list((tmp_path / "models").rglob("*.partial"))


def test_unknown_or_unsafe_names_are_refused(tmp_path: Path) -> None:
    store = ModelStore(str(tmp_path / "models"))
    with pytest.raises(ModelNotFoundError, match="no model version or alias 'v9'"):
        store.load("v9")
    with pytest.raises(ModelNotFoundError, match="not a valid"):
        store.load("../outside")
    with pytest.raises(ModelNotFoundError):
        store.promote("missing")


def test_versions_sort_by_time() -> None:
    early = new_version(datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
    late = new_version(datetime(2025, 1, 2, 3, 4, 6, tzinfo=UTC))
    assert early.startswith("20250102-030405-")
    assert sorted([late, early]) == [early, late]


def test_a_memory_url_works_like_a_folder() -> None:
    store = ModelStore("memory://tests/models")
    stored = metadata()
    store.save(fitted(), stored, {})
    store.promote(stored.version)
    assert store.load().metadata == stored
