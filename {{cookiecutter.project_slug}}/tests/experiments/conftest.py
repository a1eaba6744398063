"""Each test tracks into an MLflow store of its own: a copy of one migrated, empty SQLite
database (creating one runs MLflow's migrations, which take seconds)."""

import shutil
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.experiments.tracking import SQLITE


@pytest.fixture(scope="session")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mlflow import MlflowClient

    database = tmp_path_factory.mktemp("empty-tracking-store") / "mlflow.db"
    MlflowClient(f"{SQLITE}{database}").search_experiments()
    return database


@pytest.fixture
def tracking(tmp_path: Path, empty_database: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The URI of a fresh tracking store, set as MLFLOW_TRACKING_URI."""
    folder = tmp_path / "tracking"
    folder.mkdir()
    shutil.copy(empty_database, folder / "mlflow.db")
    uri = f"{SQLITE}{folder / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    return uri
