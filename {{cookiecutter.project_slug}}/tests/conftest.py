"""Shared fixtures: settings that write only to temporary folders, and one trained model."""

import os
import shutil
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
{%- if cookiecutter.use_mlflow %}
from {{ cookiecutter.package_name }}.store import ModelMetadata, ModelStore
{%- endif %}
from {{ cookiecutter.package_name }}.training import TrainingResult, train

from .isolation import ProjectGuard, isolate
from .support import PROJECT_ROOT, make_settings

pytest_plugins = ["pytester"]  # tests/test_isolation.py runs pytest on tests of its own
SESSION_FOLDER = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """Before any fixture, in every test process: the places to write are the session's own,
    and the run fails if the project changed all the same (checked once, where it started)."""
    config.stash[SESSION_FOLDER] = isolate(PROJECT_ROOT)
    if not hasattr(config, "workerinput"):  # not a pytest-xdist worker
        config.pluginmanager.register(ProjectGuard(PROJECT_ROOT), "project-guard")


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """The tests, and every fixture, run from the session's folder, where settings relative to
    the working directory (`.env`, `params.json`) lead. Not earlier: pytest-xdist starts its
    workers, which find the tests from the working directory, before this loop."""
    os.chdir(session.config.stash[SESSION_FOLDER])


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(config.stash[SESSION_FOLDER], ignore_errors=True)


@pytest.fixture(autouse=True)
def outside_the_project(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run each test in a folder of its own, so that the project's `.env` (your settings, such
    as the id column of your data) never reaches the tests."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
{%- if cookiecutter.use_mlflow %}


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
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory whose settings come from the environment, as in production."""
    settings = make_settings(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(f"{ENV_PREFIX}TRAINING_DATA", f'["{settings.training_data[0]}"]')
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", settings.model_store)
    monkeypatch.setenv(f"{ENV_PREFIX}REPORTS_DIR", str(settings.reports_dir))
    monkeypatch.setenv(f"{ENV_PREFIX}DOCS_DIR", str(settings.docs_dir))
    return tmp_path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, TrainingResult]:
    """One model trained on the test data, shared by the tests that only read it."""
    settings = make_settings(tmp_path_factory.mktemp("trained"))
    return settings, train(settings)
