"""Shared fixtures: settings that write only to temporary folders, and one trained model."""

{% if cookiecutter.use_mlflow -%}
from collections.abc import Iterator
{% endif -%}
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.settings import {% if cookiecutter.use_mlflow %}ENV_PREFIX, {% endif %}Settings
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
{%- endif %}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, TrainingResult]:
    """One model trained on the test data, shared by the tests that only read it."""
    settings = make_settings(
        tmp_path_factory.mktemp("trained"),
{%- if cookiecutter.use_mlflow %}
        track_experiments=True,  # serving shows the run of the version it serves
{%- endif %}
    )
    return settings, train(settings)
