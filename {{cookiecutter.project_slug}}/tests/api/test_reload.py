"""Serving a new version without a restart, and never serving a version that cannot be used."""

import hashlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import joblib
import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.api.app import create_app
from {{ cookiecutter.package_name }}.model import build_pipeline
from {{ cookiecutter.package_name }}.settings import ModelParams, Settings
from {{ cookiecutter.package_name }}.store import ModelStore, new_version
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..support import make_settings
from .conftest import api_settings

Damage = Callable[[Path], None]


def copy_as_new_version(settings: Settings, target: Settings, damage: Damage | None = None) -> str:
    """Store the trained model again under a new version in `target`'s store, damage its files
    if asked, and promote it."""
    source = ModelStore(settings.model_store).load()
    metadata = source.metadata.model_copy(update={"version": new_version(datetime.now(UTC))})
    store = ModelStore(target.model_store)
    store.save(source.pipeline, metadata, {})
    if damage is not None:
        damage(Path(target.model_store) / "versions" / metadata.version)
    store.promote(metadata.version)
    return metadata.version


def truncated(version: Path) -> None:
    model = version / "model.joblib"
    model.write_bytes(model.read_bytes()[:1000])


def altered(version: Path) -> None:
    """Another model that loads and predicts well, in place of the stored one."""
    other = build_pipeline(ModelParams(char_ngram_max=3), seed=0).fit(
        ["parcel late", "charged twice", "parcel lost", "charged again"],
        ["shipping", "billing", "shipping", "billing"],
    )
    joblib.dump(other, version / "model.joblib")


def unloadable(version: Path) -> None:
    """A model file that matches its recorded SHA-256 but names a module that does not exist."""
    content = b"cno_such_module\nModel\n."
    (version / "model.joblib").write_bytes(content)
    metadata = json.loads((version / "metadata.json").read_text())
    metadata["model_sha256"] = hashlib.sha256(content).hexdigest()
    (version / "metadata.json").write_text(json.dumps(metadata))


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


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (
            truncated,
            "does not match the SHA-256 recorded when it was stored (altered or truncated)",
        ),
        (unloadable, "does not load or predict (ModuleNotFoundError)"),
    ],
)
def test_a_model_that_does_not_load_leaves_the_service_up_and_waiting_for_a_good_one(
    trained: tuple[Settings, TrainingResult], tmp_path: Path, damage: Damage, reason: str
) -> None:
    settings, _ = trained
    target = make_settings(tmp_path)
    bad = copy_as_new_version(settings, target, damage)
    with TestClient(create_app(target, api_settings(reload_interval_seconds=0.05))) as client:
        assert client.get("/health/live").status_code == 200
        ready = client.get("/health/ready")
        assert ready.status_code == 503
        expected = f"model version {bad} cannot be used: its model.joblib {reason}"
        assert ready.json()["reason"] == expected
        assert str(tmp_path) not in ready.text
        predicted = client.post("/v1/predict", json={"text": "Where is my parcel?"})
        assert predicted.status_code == 503
        good = copy_as_new_version(settings, target)
        assert wait_for_version(client, good)


def test_a_bad_new_version_is_never_served_and_the_current_one_stays(
    trained: tuple[Settings, TrainingResult], tmp_path: Path
) -> None:
    settings, _ = trained
    target = make_settings(tmp_path)
    first = copy_as_new_version(settings, target)
    app = create_app(target, api_settings(reload_interval_seconds=0.05))
    with TestClient(app) as client:
        assert wait_for_version(client, first)
        for damage in (altered, truncated, unloadable):
            bad = copy_as_new_version(settings, target, damage)
            deadline = time.monotonic() + 5
            while app.state.model_holder.refused != bad and time.monotonic() < deadline:
                time.sleep(0.05)
            assert app.state.model_holder.refused == bad
            assert client.get("/health/ready").json()["model_version"] == first
            body = client.post("/v1/predict", json={"text": "Where is my parcel?"}).json()
            assert body["model_version"] == first
        good = copy_as_new_version(settings, target)
        assert wait_for_version(client, good)
