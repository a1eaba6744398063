"""Each test tracks into an MLflow store of its own: a copy of one migrated, empty SQLite
database (creating one runs MLflow's migrations, which take seconds)."""

import shutil
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.experiments.tracking import SQLITE
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX


@pytest.fixture(scope="session")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mlflow import MlflowClient

    database = tmp_path_factory.mktemp("empty-tracking-store") / "mlflow.db"
    MlflowClient(f"{SQLITE}{database}").search_experiments()
    return database


@pytest.fixture
def tracking(tmp_path: Path, empty_database: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The URI of a fresh tracking store, with tracking on: set as MLFLOW_TRACKING_URI (which
    training reads) and as this process's tracking URI (which a test's MLflow client reads)."""
    import mlflow

    folder = tmp_path / "tracking"
    folder.mkdir()
    shutil.copy(empty_database, folder / "mlflow.db")
    uri = f"{SQLITE}{folder / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.setenv(f"{ENV_PREFIX}TRACK_EXPERIMENTS", "true")
    mlflow.set_tracking_uri(uri)
    return uri
