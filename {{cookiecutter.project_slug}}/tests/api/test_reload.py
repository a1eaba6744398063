import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.api.app import create_app
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.store import ModelStore, new_version
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..support import make_settings
from .conftest import api_settings


def copy_as_new_version(settings: Settings, target: Settings) -> str:
    """Store the trained model again under a new version in `target`'s store and promote it."""
    source = ModelStore(settings.model_store).load()
    metadata = source.metadata.model_copy(update={"version": new_version(datetime.now(UTC))})
    store = ModelStore(target.model_store)
    store.save(source.pipeline, metadata, {})
    store.promote(metadata.version)
    return metadata.version


def test_a_new_version_is_served_without_restart(
    trained: tuple[Settings, TrainingResult], tmp_path: Path
) -> None:
    settings, _ = trained
    target = make_settings(tmp_path)
    app = create_app(target, api_settings(reload_interval_seconds=0.05))
    with TestClient(app) as client:
        assert client.get("/health/ready").status_code == 503
        first = copy_as_new_version(settings, target)
        assert wait_for_version(client, first)
        second = copy_as_new_version(settings, target)
        assert wait_for_version(client, second)
        body = client.post("/v1/predict", json={"text": "Where is my parcel?"}).json()
        assert body["model_version"] == second


def wait_for_version(client: TestClient, version: str, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.get("/health/ready").json().get("model_version") == version:
            return True
        time.sleep(0.05)
    return False
