"""Traffic for the report's tests: a trained model's predictions logged, with feedback."""

import json
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from {{ cookiecutter.package_name }}.monitoring.monitor import Monitor
from {{ cookiecutter.package_name }}.monitoring.settings import MonitoringSettings
from {{ cookiecutter.package_name }}.prediction import predict
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
from {{ cookiecutter.package_name }}.store import ModelStore, StoredModel
from {{ cookiecutter.package_name }}.training import stored_split

from ..support import FRAMINGS, TOPICS

# Every message of one label: a label mix unlike the training data's.
SHIPPING = [framing.format(topic) for topic in TOPICS["shipping"] for framing in FRAMINGS]
REPORT_MINIMUM = 40  # fewer than the test data holds out


def monitoring_settings(log: Path) -> MonitoringSettings:
    return MonitoringSettings(_env_file=None, log_url=str(log), report_minimum=REPORT_MINIMUM)


def report_environment(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, folder: Path, **more: str
) -> None:
    """The settings of `make monitor` in the environment, as its commands read them: the data
    and store of `settings`, a log and a report under `folder`, then `more` (by field name)."""
    for name, value in {
        "TRAINING_DATA": json.dumps(settings.training_data),
        "MODEL_STORE": settings.model_store,
        "MONITORING_LOG_URL": str(folder / "log"),
        "MONITORING_REPORT_DIR": str(folder / "report"),
        "MONITORING_REPORT_MINIMUM": str(REPORT_MINIMUM),
        **more,
    }.items():
        monkeypatch.setenv(f"{ENV_PREFIX}{name}", value)


def serve(
    settings: Settings, model: StoredModel, log: Path, texts: list[str], wrong: int = 0
) -> None:
    """Log the model's predictions of `texts`, with feedback on each that is wrong for the first
    `wrong` ones and right for the others."""
    store = ModelStore(settings.model_store)
    monitor = Monitor(monitoring_settings(log), store, CollectorRegistry())
    predictions = predict(model.pipeline, texts)
    for index, request_id in enumerate(monitor.served(model, texts, predictions)):
        served = monitor.ids.read(request_id)
        assert served is not None
        others = [label for label in model.metadata.labels if label != served.label]
        monitor.feedback(served, others[0] if index < wrong else served.label)
    monitor.close()


def held_out_texts(settings: Settings, model: StoredModel) -> list[str]:
    """The messages the model was held out from: traffic drawn like its training data."""
    _, held_out = stored_split(settings, ModelStore(settings.model_store), model.metadata.version)
    return list(held_out["text"])
