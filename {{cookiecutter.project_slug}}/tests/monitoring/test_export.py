from pathlib import Path

import pandas as pd
import pytest
from prometheus_client import CollectorRegistry
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.data import load_training_data
from {{ cookiecutter.package_name }}.monitoring.cli import app
from {{ cookiecutter.package_name }}.monitoring.export import ExportError, export_feedback
from {{ cookiecutter.package_name }}.monitoring.monitor import Monitor
from {{ cookiecutter.package_name }}.monitoring.settings import MonitoringSettings
from {{ cookiecutter.package_name }}.monitoring.sink import LogSink
from {{ cookiecutter.package_name }}.prediction import Prediction
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX
from {{ cookiecutter.package_name }}.store import ModelStore, StoredModel

from ..test_startup import HEAVY_LIBRARIES, imported_by

TEXTS = ["my parcel is late", "I was charged twice", "=1+1 on my invoice"]


def served_with_feedback(
    model: StoredModel, log: Path, store_text: bool, labels: list[str]
) -> list[str]:
    """Log a prediction of "shipping" for each text and the `labels` as feedback on the first
    ones; the request ids."""
    settings = MonitoringSettings(_env_file=None, log_url=str(log), store_text=store_text)
    monitor = Monitor(settings, ModelStore(str(log / "models")), CollectorRegistry())
    shipping = Prediction("shipping", 0.9, {"shipping": 0.9, "billing": 0.1})
    request_ids = monitor.served(model, TEXTS, [shipping] * len(TEXTS))
    answers = list(zip(request_ids, labels, strict=False))
    if answers:  # a second answer on the first prediction: the latest counts
        answers.append((request_ids[0], "returns"))
    for request_id, label in answers:
        served = monitor.ids.read(request_id)
        assert served is not None
        monitor.feedback(served, label)
    monitor.close()
    return request_ids


def test_feedback_becomes_labelled_data_that_training_reads(
    model: StoredModel, tmp_path: Path
) -> None:
    request_ids = served_with_feedback(model, tmp_path / "log", True, ["billing", "billing"])
    target = tmp_path / "data" / "labelled" / "feedback.csv"
    exported = export_feedback(LogSink(str(tmp_path / "log")), target, "request_id")
    assert exported == (2, 0)
    frame = load_training_data([str(target)], id_column="request_id")
    rows = frame.set_index("request_id")[["text", "label", "predicted_label"]]
    assert list(rows.loc[request_ids[0]]) == [TEXTS[0], "returns", "shipping"]
    assert list(rows.loc[request_ids[1]]) == [TEXTS[1], "billing", "shipping"]
    assert request_ids[2] not in rows.index  # no feedback
    # Written anew each time, not appended.
    assert export_feedback(LogSink(str(tmp_path / "log")), target, "request_id").rows == 2
    assert len(pd.read_csv(target)) == 2


def test_feedback_on_predictions_logged_without_text_cannot_be_exported(
    model: StoredModel, tmp_path: Path
) -> None:
    target = tmp_path / "feedback.csv"
    with pytest.raises(ExportError, match="holds no feedback yet"):
        export_feedback(LogSink(str(tmp_path / "empty")), target, "request_id")
    served_with_feedback(model, tmp_path / "log", False, ["billing"])
    with pytest.raises(ExportError, match=f"set {ENV_PREFIX}MONITORING_STORE_TEXT=true"):
        export_feedback(LogSink(str(tmp_path / "log")), target, "request_id")
    assert not target.exists()


def test_the_command_writes_the_file_or_says_why_not(
    model: StoredModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}MONITORING_LOG_URL", str(tmp_path / "log"))
    target = tmp_path / "feedback.csv"
    refused = CliRunner().invoke(app, ["export-feedback", "--output", str(target)])
    assert refused.exit_code == 1
    assert refused.output.startswith("error: the prediction log")
    assert "Traceback" not in refused.output
    served_with_feedback(model, tmp_path / "log", True, ["billing"])
    written = CliRunner().invoke(app, ["export-feedback", "--output", str(target)])
    assert written.exit_code == 0, written.output
    assert f"Wrote 1 labelled messages to {target}" in written.output


def test_the_commands_help_imports_no_heavy_library() -> None:
    module = "{{ cookiecutter.package_name }}.monitoring"
    assert not imported_by("export-feedback", "--help", module=module) & HEAVY_LIBRARIES
