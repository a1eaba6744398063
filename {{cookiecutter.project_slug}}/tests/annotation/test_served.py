"""The served messages without feedback, as a pool to push to Label Studio."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.annotation.cli import app
from {{ cookiecutter.package_name }}.annotation.served import served_without_feedback
from {{ cookiecutter.package_name }}.monitoring.monitor import Monitor
from {{ cookiecutter.package_name }}.monitoring.settings import MonitoringSettings
from {{ cookiecutter.package_name }}.monitoring.sink import LogSink
from {{ cookiecutter.package_name }}.prediction import predict
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
from {{ cookiecutter.package_name }}.store import LATEST, ModelStore
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..support import free_port

TEXTS = ["my parcel is late", "I was charged twice", "the app crashes", "hello"]


def serve(settings: Settings, log: Path, store_text: bool) -> list[str]:
    """Log predictions of TEXTS, with feedback on the first; the request ids."""
    monitoring = MonitoringSettings(_env_file=None, log_url=str(log), store_text=store_text)
    store = ModelStore(settings.model_store)
    monitor = Monitor(monitoring, store, CollectorRegistry())
    model = store.load(LATEST)
    request_ids = monitor.served(model, TEXTS, predict(model.pipeline, TEXTS))
    served = monitor.ids.read(request_ids[0])
    assert served is not None
    monitor.feedback(served, "shipping")
    monitor.close()
    return request_ids


def test_the_pool_holds_the_served_texts_without_feedback_by_request_id(
    trained: tuple[Settings, TrainingResult], tmp_path: Path
) -> None:
    request_ids = serve(trained[0], tmp_path / "log", store_text=True)
    today = datetime.now(UTC).date()
    pool, without_text = served_without_feedback(LogSink(str(tmp_path / "log")), today, "id")
    assert pool.to_dict("list") == {"id": request_ids[1:], "text": TEXTS[1:]}
    assert without_text == 0


def test_texts_not_logged_are_counted_and_the_command_says_how_to_log_them(
    trained: tuple[Settings, TrainingResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(trained[0], tmp_path / "log", store_text=False)
    today = datetime.now(UTC).date()
    pool, without_text = served_without_feedback(LogSink(str(tmp_path / "log")), today, "id")
    assert (len(pool), without_text) == (0, len(TEXTS) - 1)
    monkeypatch.setenv(f"{ENV_PREFIX}MONITORING_LOG_URL", str(tmp_path / "log"))
    result = CliRunner().invoke(app, ["push-served"])
    assert result.exit_code == 1
    assert result.output == (
        f"error: no message served since {today - timedelta(days=6)} without feedback has its"
        " text in the log"
        f" (3 without it: set {ENV_PREFIX}MONITORING_STORE_TEXT=true)\n"
    )


def test_push_served_says_to_start_label_studio_when_it_is_down(
    trained: tuple[Settings, TrainingResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = trained[0]
    serve(settings, tmp_path / "log", store_text=True)
    for name, value in {
        "MODEL_STORE": settings.model_store,
        "TRAINING_DATA": f'["{settings.training_data[0]}"]',
        "MONITORING_LOG_URL": str(tmp_path / "log"),
        "ANNOTATION_URL": f"http://127.0.0.1:{free_port()}",
        "ANNOTATION_TOKEN": "0" * 40,
    }.items():
        monkeypatch.setenv(f"{ENV_PREFIX}{name}", value)
    result = CliRunner().invoke(app, ["push-served"])
    assert result.exit_code == 1
    assert "start it with `make annotate`" in result.output
