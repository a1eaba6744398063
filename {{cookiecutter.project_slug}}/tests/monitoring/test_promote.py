"""`make promote`: the candidate's record against the version served, then the switch."""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

{% if cookiecutter.use_mlflow -%}
from {{ cookiecutter.package_name }}.experiments.registry import aliases
{% endif -%}
from {{ cookiecutter.package_name }}.monitoring.cli import app
from {{ cookiecutter.package_name }}.store import LATEST, ModelStore
{% if cookiecutter.use_mlflow -%}
from {{ cookiecutter.package_name }}.training import train
{% endif %}
{% if cookiecutter.use_mlflow -%}
from ..support import make_settings
{% endif -%}
from .conftest import Contenders
from .traffic import report_environment


@pytest.fixture
def store(contenders: Contenders, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModelStore:
    """A copy of the contenders' store and docs, named to the command by the environment."""
    shutil.copytree(contenders.settings.model_store, tmp_path / "models")
    shutil.copytree(contenders.settings.docs_dir, tmp_path / "docs")
    report_environment(
        monkeypatch,
        contenders.settings,
        tmp_path,
        MODEL_STORE=str(tmp_path / "models"),
        DOCS_DIR=str(tmp_path / "docs"),
    )
    return ModelStore(str(tmp_path / "models"))


def test_promote_shows_both_versions_and_serves_the_candidate(
    contenders: Contenders, store: ModelStore, tmp_path: Path
) -> None:
    candidate = contenders.challenger.metadata.version
    result = CliRunner().invoke(app, ["promote", candidate, "--yes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Served {contenders.champion.metadata.version}: held-out macro-F1")
    assert lines[1].startswith(f"Candidate {candidate}: held-out macro-F1")
    assert lines[2].startswith(f"No shadow predictions of {candidate} in the last 7 days")
    assert lines[-1] == f"Promoted version {candidate} to '{LATEST}'."
    assert store.resolve(LATEST) == candidate
    assert candidate in (tmp_path / "docs" / "model_card.md").read_text(encoding="utf-8")
    again = CliRunner().invoke(app, ["promote", LATEST])
    assert again.output == f"Version {candidate} is already served.\n"


def test_promote_asks_first_and_a_no_changes_nothing(
    contenders: Contenders, store: ModelStore
) -> None:
    candidate = contenders.challenger.metadata.version
    result = CliRunner().invoke(app, ["promote", candidate], input="n\n")
    assert result.exit_code == 1
    assert f"Serve {candidate}? [y/N]: n" in result.output
    assert store.resolve(LATEST) == contenders.champion.metadata.version


def test_promote_refuses_a_version_the_store_does_not_hold(store: ModelStore) -> None:
    result = CliRunner().invoke(app, ["promote", "20200101-000000-000000"])
    assert result.exit_code == 2
    assert result.output.startswith("error: no model version or alias '20200101-000000-000000'")
{%- if cookiecutter.use_mlflow %}


def test_promote_moves_mlflows_champion_with_tracking_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    train(make_settings(tmp_path))  # served, and not tracked
    settings = make_settings(tmp_path, track_experiments=True)
    candidate = train(settings, promote=False).metadata
    store = ModelStore(settings.model_store)
    assert aliases(store).champion is None
    report_environment(
        monkeypatch, settings, tmp_path, DOCS_DIR=str(settings.docs_dir), TRACK_EXPERIMENTS="true"
    )
    result = CliRunner().invoke(app, ["promote", candidate.version, "--yes"])
    assert result.exit_code == 0, result.output
    assert aliases(store).agree
    assert aliases(store).champion == candidate.mlflow_model_version
{%- endif %}
