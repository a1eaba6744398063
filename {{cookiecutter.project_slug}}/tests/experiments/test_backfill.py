"""A project that gains MLflow later logs the versions it stored before, with one command."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.experiments.cli import app
from {{ cookiecutter.package_name }}.experiments.registry import aliases
from {{ cookiecutter.package_name }}.experiments.runs import STORE_VERSION_TAG
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX
from {{ cookiecutter.package_name }}.store import ModelStore
from {{ cookiecutter.package_name }}.training import train

from ..support import make_settings


def test_backfill_logs_and_registers_untracked_versions_once(
    tracking: str, empty_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlflow import MlflowClient

    # Versions stored without tracking, as in a project without MLflow...
    settings = make_settings(tmp_path, track_experiments=False)
    store = ModelStore(settings.model_store)
    for _ in range(2):
        assert train(settings).metadata.mlflow_run_id is None
    # ... and no tracking store yet.
    shutil.copy(empty_database, tmp_path / "new.db")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'new.db'}")

    environment = {
        f"{ENV_PREFIX}MODEL_STORE": settings.model_store,
        f"{ENV_PREFIX}TRAINING_DATA": json.dumps(settings.training_data),
    }
    result = CliRunner().invoke(app, ["backfill"], env=environment)
    assert result.exit_code == 0, result.output
    assert "Logged 2 stored versions as runs" in result.output

    client = MlflowClient()
    for name in store.versions():
        metadata = store.metadata(name)
        run = client.get_run(str(metadata.mlflow_run_id))
        assert run.data.tags[STORE_VERSION_TAG] == name
        assert run.data.tags["backfilled"] == "true"
        assert run.data.metrics == metadata.metrics
    assert aliases(store).agree and aliases(store).champion is not None

    again = CliRunner().invoke(app, ["backfill"], env=environment)
    assert again.exit_code == 0, again.output
    assert "Every stored version has its MLflow run already." in again.output
