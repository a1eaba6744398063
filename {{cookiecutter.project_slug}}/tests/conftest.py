"""Shared fixtures: settings that write only to temporary folders, and one trained model."""

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.training import TrainingResult, train

from .support import make_settings


@pytest.fixture(autouse=True)
def outside_the_project(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run each test in a folder of its own, so that the project's `.env` (your settings, such
    as the id column of your data) never reaches the tests."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, TrainingResult]:
    """One model trained on the test data, shared by the tests that only read it."""
    settings = make_settings(tmp_path_factory.mktemp("trained"))
    return settings, train(settings)
