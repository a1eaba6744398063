"""The store's latest and MLflow's champion never disagree for long: promotion moves both,
and a promotion interrupted between the two writes is put right with one command."""

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from {{ cookiecutter.package_name }}.experiments.cli import app
from {{ cookiecutter.package_name }}.experiments.registry import (
    SYNC_COMMAND,
    aliases,
    follow_the_store,
)
from {{ cookiecutter.package_name }}.experiments.tracking import (
    REGISTERED_MODEL,
    TrackingError,
)
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX
from {{ cookiecutter.package_name }}.store import LATEST, ModelStore
from {{ cookiecutter.package_name }}.training import train

from ..support import free_port, make_settings
from .gate import failing_gate


def sync(model_store: str) -> Result:
    """`python -m {{ cookiecutter.package_name }}.experiments sync` on a model store."""
    return CliRunner().invoke(app, ["sync"], env={f"{ENV_PREFIX}MODEL_STORE": model_store})


def test_a_promotion_moves_both_aliases(tracking: str, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    store = ModelStore(settings.model_store)
    first = train(settings).metadata
    assert aliases(store).agree and aliases(store).champion == first.mlflow_model_version
    second = train(settings).metadata
    assert aliases(store).agree and aliases(store).champion == second.mlflow_model_version


def test_an_interrupted_promotion_is_reported_and_put_right_by_sync(
    tracking: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path)
    store = ModelStore(settings.model_store)
    first = train(settings).metadata
    candidate = train(failing_gate(settings, tmp_path)).metadata

    # MLflow goes away between the two writes: nothing listens on this port.
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    store.promote(candidate.version)
    with pytest.raises(TrackingError) as raised:
        follow_the_store(candidate)
    assert f"the store's {LATEST} is {candidate.version}" in str(raised.value)
    assert SYNC_COMMAND in str(raised.value)

    monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking)
    assert store.resolve(LATEST) == candidate.version  # serving follows the store at once
    assert aliases(store).champion == first.mlflow_model_version  # MLflow lags behind
    result = sync(settings.model_store)
    assert result.exit_code == 0, result.output
    assert f"to version {candidate.mlflow_model_version}" in result.output
    assert aliases(store).agree and aliases(store).champion == candidate.mlflow_model_version
    again = sync(settings.model_store)
    assert "agree" in again.output


def test_a_training_whose_champion_write_fails_still_updates_the_model_card(
    tracking: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlflow import MlflowClient

    settings = make_settings(tmp_path)
    promote = ModelStore.promote

    def registry_lost(store: ModelStore, version: str, alias: str = LATEST) -> None:
        """The registered model is gone after the run was logged, before the champion moves."""
        promote(store, version, alias)
        MlflowClient().delete_registered_model(REGISTERED_MODEL)

    monkeypatch.setattr(ModelStore, "promote", registry_lost)
    with pytest.raises(TrackingError, match=SYNC_COMMAND):
        train(settings)
    served = ModelStore(settings.model_store).metadata(LATEST)
    card = (settings.docs_dir / "model_card.md").read_text(encoding="utf-8")
    assert f"`{served.version}`" in card


def test_sync_says_what_is_wrong_in_one_line_when_mlflow_is_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    result = sync(str(tmp_path / "models"))
    assert result.exit_code == 1
    assert result.output.startswith("error: Reading the champion alias in http://127.0.0.1:")
    assert len(result.output.strip().splitlines()) == 1
