"""Shared fixtures: settings that write only to temporary folders, and one trained model."""

{% if cookiecutter.use_mlflow -%}
import shutil
from collections.abc import Iterator
{% endif -%}
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.settings import {% if cookiecutter.use_mlflow %}ENV_PREFIX, {% endif %}Settings
{%- if cookiecutter.use_mlflow %}
from {{ cookiecutter.package_name }}.store import ModelMetadata, ModelStore
{%- endif %}
from {{ cookiecutter.package_name }}.training import TrainingResult, train

from .support import make_settings


@pytest.fixture(autouse=True)
def outside_the_project(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run each test in a folder of its own, so that the project's `.env` (your settings, such
    as the id column of your data) never reaches the tests."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
{%- if cookiecutter.use_mlflow %}


@pytest.fixture(scope="session", autouse=True)
def tracking_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Training in the tests is not tracked unless a test asks for it (MLflow costs seconds per
    run), and then into a temporary MLflow store, never the project's mlruns/."""
    uri = f"sqlite:///{tmp_path_factory.mktemp('mlruns')}/mlflow.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        patch.setenv(f"{ENV_PREFIX}TRACK_EXPERIMENTS", "false")
        yield uri


@pytest.fixture(scope="session")
def tracked(
    trained: tuple[Settings, TrainingResult], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, ModelMetadata]:
    """A copy of the trained store whose version names its MLflow run, as a tracked training
    records it (tests/experiments log real runs): what serving shows of the run."""
    settings, result = trained
    root = tmp_path_factory.mktemp("tracked") / "models"
    shutil.copytree(settings.model_store, root)
    run = {"mlflow_run_id": "4d096b4fd01e407cb6f26c3b51bf5b28", "mlflow_model_version": "1"}
    metadata = result.metadata.model_copy(update=run)
    ModelStore(str(root)).record(metadata)
    return settings.model_copy(update={"model_store": str(root)}), metadata
{%- endif %}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, TrainingResult]:
    """One model trained on the test data, shared by the tests that only read it."""
    settings = make_settings(tmp_path_factory.mktemp("trained"))
    return settings, train(settings)
