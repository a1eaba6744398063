"""Every training is an MLflow run with everything needed to compare and reproduce it, and its
model is registered; real MLflow on a temporary SQLite store."""

import gc
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from {{ cookiecutter.package_name }}.data import DataValidationError
from {{ cookiecutter.package_name }}.experiments.handoff import RunLogger
from {{ cookiecutter.package_name }}.experiments.registry import aliases
from {{ cookiecutter.package_name }}.experiments.runs import GATE_TAG, STORE_VERSION_TAG
from {{ cookiecutter.package_name }}.experiments.tracking import (
    CHAMPION,
    EXPERIMENT,
    REGISTERED_MODEL,
    TrackingError,
)
from {{ cookiecutter.package_name }}.store import LATEST, ModelStore
from {{ cookiecutter.package_name }}.training import train

from ..support import free_port, make_settings
from .gate import failing_gate


@pytest.mark.usefixtures("tracking")
@pytest.mark.parametrize("own_process", [True, False], ids=["make-train", "in-process"])
def test_a_training_run_logs_params_metrics_reports_data_lineage_and_model(
    tmp_path: Path, own_process: bool
) -> None:
    """Logged by an MLflow process of its own (as `make train` does) or by the training's."""
    import mlflow
    from mlflow import MlflowClient

    settings = make_settings(tmp_path)
    result = train(settings, run_logger=RunLogger() if own_process else None)
    metadata = result.metadata
    assert metadata.mlflow_run_id is not None
    assert metadata == ModelStore(settings.model_store).metadata(LATEST)  # the store records it

    client = MlflowClient()
    run = client.get_run(metadata.mlflow_run_id)
    assert run.info.run_name == metadata.version
    assert run.data.params["params.regularization_c"] == str(settings.params.regularization_c)
    assert run.data.params["min_macro_f1"] == str(settings.min_macro_f1)
    assert run.data.params["random_seed"] == str(settings.random_seed)
    assert run.data.metrics == pytest.approx(metadata.metrics)
    tags = run.data.tags
    assert tags[STORE_VERSION_TAG] == metadata.version
    assert tags[GATE_TAG] == "passed"
    assert tags["data_sha256"] == metadata.data.sha256
    assert tags["package_version"] == metadata.code.package_version
    assert tags["library.scikit-learn"] == metadata.libraries["scikit-learn"]

    reports = {item.path for item in client.list_artifacts(run.info.run_id, "evaluation")}
    assert reports == {
        "evaluation/metrics.json",
        "evaluation/classification_report.txt",
        "evaluation/confusion_matrix.png",
    }
    assert run.inputs is not None
    (dataset,) = run.inputs.dataset_inputs
    assert dataset.dataset.name == "training-data"
    assert {tag.key: tag.value for tag in dataset.tags}["sha256"] == metadata.data.sha256

    model = mlflow.pyfunc.load_model(f"models:/{REGISTERED_MODEL}@{CHAMPION}")
    assert model.metadata.signature is not None
    texts = np.array(["my parcel never arrived", "I was charged twice"])
    assert list(model.predict(texts)) == ["shipping", "billing"]

    registered = client.get_model_version(REGISTERED_MODEL, str(metadata.mlflow_model_version))
    assert registered.run_id == run.info.run_id
    assert registered.tags[STORE_VERSION_TAG] == metadata.version


@pytest.mark.usefixtures("tracking")
def test_a_training_with_tracking_off_logs_nothing(tmp_path: Path) -> None:
    from mlflow import MlflowClient

    settings = make_settings(tmp_path, track_experiments=False)
    result = train(settings)
    assert result.promoted
    assert result.metadata.mlflow_run_id is None
    assert ModelStore(settings.model_store).metadata(LATEST).version == result.metadata.version
    assert MlflowClient().search_experiments(filter_string=f"name = '{EXPERIMENT}'") == []


@pytest.mark.usefixtures("tracking")
def test_a_failed_gate_is_logged_and_registered_but_never_champion(tmp_path: Path) -> None:
    from mlflow import MlflowClient

    settings = make_settings(tmp_path)
    first = train(settings).metadata
    failed = train(failing_gate(settings, tmp_path))
    assert not failed.promoted

    run = MlflowClient().get_run(str(failed.metadata.mlflow_run_id))
    assert run.data.tags[GATE_TAG] == "failed"
    assert failed.metadata.mlflow_model_version == "2"
    store = ModelStore(settings.model_store)
    assert aliases(store).latest == aliases(store).champion == first.mlflow_model_version


@pytest.mark.parametrize("own_process", [True, False], ids=["make-train", "in-process"])
def test_a_training_that_cannot_reach_mlflow_says_so_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_process: bool
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    settings = make_settings(tmp_path, track_experiments=True)
    with pytest.raises(TrackingError, match=r"^Opening the tracking store in http://127\.0\.0\.1"):
        train(settings, run_logger=RunLogger() if own_process else None)
    assert ModelStore(settings.model_store).versions() == []


def test_a_training_that_fails_stops_its_mlflow_process_and_leaves_no_files(
    tracking: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[subprocess.Popen[str]] = []

    class Recorded(subprocess.Popen[str]):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(subprocess, "Popen", Recorded)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the hand-over folder goes
    broken = tmp_path / "broken.csv"
    broken.write_text("text\nno label column\n", encoding="utf-8")
    with pytest.raises(DataValidationError):
        train(make_settings(tmp_path, training_data=[str(broken)]), run_logger=RunLogger())
    gc.collect()  # the failed training's frame, and the logger it held, are gone
    assert len(started) == 1 and started[0].poll() is not None
    assert not list(tmp_path.glob("mlflow-run-*"))
