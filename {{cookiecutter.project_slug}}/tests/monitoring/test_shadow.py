"""The challenger scored in shadow: never in the answer, logged by request id, compared in the
report with the version served."""

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry, Counter
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.api.app import create_app
from {{ cookiecutter.package_name }}.monitoring.cli import app
from {{ cookiecutter.package_name }}.monitoring.log import BufferedLog
from {{ cookiecutter.package_name }}.monitoring.monitor import CHALLENGER, PREDICTIONS, Monitor
from {{ cookiecutter.package_name }}.monitoring.settings import MonitoringSettings
from {{ cookiecutter.package_name }}.monitoring.shadow import ShadowScorer
from {{ cookiecutter.package_name }}.monitoring.sink import LogSink
from {{ cookiecutter.package_name }}.prediction import predict
from {{ cookiecutter.package_name }}.store import ModelStore

from ..api.conftest import api_settings
from .conftest import Contenders
from .traffic import held_out_texts, report_environment

TEXTS = ["My parcel never arrived, where is it?", "I was charged twice", "the app crashes"]


def shadowed(contenders: Contenders, log: Path, challenger: str) -> TestClient:
    monitoring = MonitoringSettings(
        _env_file=None, log_url=str(log), challenger=challenger, live_minimum=10
    )
    return TestClient(create_app(contenders.settings, api_settings(), monitoring))


@pytest.mark.parametrize(("challenger", "shadowing"), [(None, False), ("", False), ("a", True)])
def test_an_empty_challenger_is_none_as_the_cloud_variable_has_it_by_default(
    contenders: Contenders, tmp_path: Path, challenger: str | None, shadowing: bool
) -> None:
    settings = MonitoringSettings(_env_file=None, log_url=str(tmp_path), challenger=challenger)
    store = ModelStore(contenders.settings.model_store)
    monitor = Monitor(settings, store, CollectorRegistry())
    assert (monitor.shadow is not None) == shadowing


def test_the_challenger_scores_in_shadow_and_never_changes_the_answer(
    contenders: Contenders, tmp_path: Path
) -> None:
    champion, challenger = contenders.champion, contenders.challenger
    with shadowed(contenders, tmp_path / "log", challenger.metadata.version) as client:
        answers = client.post("/v1/predict/batch", json={"texts": TEXTS}).json()["predictions"]
    expected = predict(champion.pipeline, TEXTS)
    assert [answer["label"] for answer in answers] == [p.label for p in expected]
    assert {answer["model_version"] for answer in answers} == {champion.metadata.version}
    sink = LogSink(str(tmp_path / "log"))
    shadow = {row["request_id"]: row for row in sink.read(CHALLENGER)}
    assert set(shadow) == {answer["request_id"] for answer in answers}
    for answer, theirs in zip(answers, predict(challenger.pipeline, TEXTS), strict=True):
        logged = shadow[answer["request_id"]]
        assert logged["model_version"] == challenger.metadata.version
        assert (logged["label"], logged["confidence"]) == (theirs.label, theirs.confidence)
        assert logged["label"] != answer["label"]  # the reversed model disagrees
    assert len(list(sink.read(PREDICTIONS))) == len(TEXTS)


def test_a_challenger_that_cannot_score_costs_no_answer(
    contenders: Contenders, tmp_path: Path
) -> None:
    with shadowed(contenders, tmp_path / "log", "20200101-000000-000000") as client:
        for text in TEXTS:
            answered = client.post("/v1/predict", json={"text": text})
            assert answered.status_code == 200
            assert answered.json()["model_version"] == contenders.champion.metadata.version
        dropped = 'prediction_log_dropped_total{kind="challenger",reason="challenger failed"} 3.0'
        deadline = time.monotonic() + 30
        while dropped not in client.get("/metrics").text and time.monotonic() < deadline:
            time.sleep(0.05)
        assert dropped in client.get("/metrics").text
    assert list(LogSink(str(tmp_path / "log")).read(CHALLENGER)) == []


def test_a_full_shadow_queue_drops_and_counts_never_waits(contenders: Contenders) -> None:
    registry = CollectorRegistry()
    written = Counter("written", "", ["kind"], registry=registry)
    dropped = Counter("dropped", "", ["kind", "reason"], registry=registry)
    log = BufferedLog(LogSink("memory://shadow"), CHALLENGER, 10, 60, written, dropped)
    scorer = ShadowScorer(ModelStore(contenders.settings.model_store), "latest", log, 1, dropped)
    scorer.submit("v1", ["a"], ["one text"])  # not started: it waits
    scorer.submit("v1", ["b", "c"], ["two", "texts"])
    labels = {"kind": CHALLENGER, "reason": "shadow queue full"}
    assert registry.get_sample_value("dropped_total", labels) == 2


def test_the_report_compares_the_challenger_with_the_version_served(
    contenders: Contenders, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, champion, challenger = contenders
    texts = held_out_texts(settings, champion)
    with shadowed(contenders, tmp_path / "log", challenger.metadata.version) as client:
        answers = client.post("/v1/predict/batch", json={"texts": texts}).json()["predictions"]
        for answer in answers:  # the champion is right every time
            body = {"request_id": answer["request_id"], "label": answer["label"]}
            assert client.post("/v1/feedback", json=body).status_code == 202
    report_environment(monkeypatch, settings, tmp_path)
    result = CliRunner().invoke(app, ["report"])
    assert result.exit_code == 0, result.output
    assert (
        f"Challenger {challenger.metadata.version} against {champion.metadata.version},"
        f" on {len(texts)} requests both scored: same label for "
    ) in result.output
    assert f"On the {len(texts)} with feedback (95 % intervals):" in result.output
    assert "accuracy: champion 1.000 [1.000, 1.000], challenger 0." in result.output
    summary = json.loads((tmp_path / "report" / "checks.json").read_text(encoding="utf-8"))
    compared = summary["challenger"]
    assert compared["challenger"] == challenger.metadata.version
    assert compared["agreement"] < 0.5
    difference = compared["scores"]["macro-F1"]["difference"]
    assert difference["low"] <= difference["value"] <= difference["high"] < 0
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "<h2>Challenger</h2>" in page
