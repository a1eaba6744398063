"""Fixtures for the API: an app on the trained model, and one on an empty store."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.api.app import create_app
from {{ cookiecutter.package_name }}.api.settings import ApiSettings
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..support import make_settings


def api_settings(**values: object) -> ApiSettings:
    return ApiSettings(_env_file=None, **({"reload_interval_seconds": 0} | values))  # type: ignore[arg-type]


@pytest.fixture
def client(trained: tuple[Settings, TrainingResult]) -> Iterator[TestClient]:
    settings, _ = trained
    with TestClient(create_app(settings, api_settings())) as test_client:
        yield test_client


@pytest.fixture
def untrained_client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(tmp_path), api_settings())) as test_client:
        yield test_client
