"""Where runs go: the project's SQLite store by default, MLFLOW_TRACKING_URI when set."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.experiments.cli import app
from {{ cookiecutter.package_name }}.experiments.tracking import (
    EXPERIMENT,
    LOCAL_TRACKING_URI,
    tracking_uri,
    use_project_experiment,
)


def test_the_project_store_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert tracking_uri() == LOCAL_TRACKING_URI == "sqlite:///mlruns/mlflow.db"
    assert CliRunner().invoke(app, ["where"]).output.strip() == LOCAL_TRACKING_URI


def test_the_variable_points_the_commands_at_a_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000")
    assert tracking_uri() == "http://127.0.0.1:5000"


def test_a_sqlite_store_keeps_its_artifacts_next_to_its_database(tracking: str) -> None:
    from mlflow import MlflowClient

    experiment_id = use_project_experiment()
    experiment = MlflowClient().get_experiment(experiment_id)
    assert experiment.name == EXPERIMENT
    database = Path(tracking.removeprefix("sqlite:///"))
    assert experiment.artifact_location == (database.parent / "artifacts").as_uri()
    assert use_project_experiment() == experiment_id  # found, not created twice
