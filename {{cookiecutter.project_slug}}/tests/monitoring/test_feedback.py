"""The service with monitoring: request ids, the prediction log and the feedback endpoint."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.api.app import create_app
from {{ cookiecutter.package_name }}.monitoring.settings import MonitoringSettings
from {{ cookiecutter.package_name }}.monitoring.sink import LogSink
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..api.conftest import api_settings

PARCEL = "My parcel never arrived, where is it?"


def monitoring_settings(log: Path, **values: Any) -> MonitoringSettings:
    return MonitoringSettings(_env_file=None, log_url=str(log), live_minimum=2, **values)


def serve(
    trained: tuple[Settings, TrainingResult], log: Path, key: str | None = None, **values: Any
) -> TestClient:
    app = create_app(trained[0], api_settings(key=key), monitoring_settings(log, **values))
    return TestClient(app, headers={"X-API-Key": key} if key else {})


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "prediction-log"


@pytest.fixture
def client(trained: tuple[Settings, TrainingResult], log: Path) -> Iterator[TestClient]:
    with serve(trained, log) as test_client:
        yield test_client


def test_every_prediction_is_logged_with_its_request_id_and_no_text(
    trained: tuple[Settings, TrainingResult], log: Path
) -> None:
    with serve(trained, log) as client:
        one = client.post("/v1/predict", json={"text": PARCEL}).json()
        batch = client.post("/v1/predict/batch", json={"texts": [PARCEL, "I was charged twice"]})
    predictions = [one, *batch.json()["predictions"]]
    assert len({prediction["request_id"] for prediction in predictions}) == 3
    logged = {record["request_id"]: record for record in LogSink(str(log)).read("predictions")}
    assert set(logged) == {prediction["request_id"] for prediction in predictions}
    record = logged[one["request_id"]]
    assert record["label"] == one["label"] == "shipping"
    assert record["confidence"] == one["confidence"]
    assert record["probabilities"] == one["probabilities"]
    assert record["model_version"] == trained[1].metadata.version
    assert record["text_length"] == len(PARCEL)
    assert record["unseen_word_share"] == 0.0  # every word is in the training data
    assert len(record["text_hash"]) == 32
    assert "text" not in record
    assert PARCEL not in str(logged)


def test_the_text_is_logged_only_when_the_setting_says_so(
    trained: tuple[Settings, TrainingResult], log: Path
) -> None:
    with serve(trained, log, store_text=True) as client:
        client.post("/v1/predict", json={"text": PARCEL})
    [record] = LogSink(str(log)).read("predictions")
    assert record["text"] == PARCEL


def test_feedback_on_a_served_prediction_is_logged_and_scored_live(
    trained: tuple[Settings, TrainingResult], log: Path
) -> None:
    with serve(trained, log) as client:
        served = client.post("/v1/predict", json={"text": PARCEL}).json()
        taken = client.post(
            "/v1/feedback", json={"request_id": served["request_id"], "label": "shipping"}
        )
        assert taken.status_code == 202
        assert taken.json() == {
            "request_id": served["request_id"],
            "label": "shipping",
            "predicted_label": "shipping",
            "model_version": served["model_version"],
        }
        assert "live_accuracy{" not in client.get("/metrics").text  # not enough feedback yet
        other = client.post("/v1/predict", json={"text": PARCEL}).json()
        client.post("/v1/feedback", json={"request_id": other["request_id"], "label": "billing"})
        metrics = client.get("/metrics").text
    assert 'live_accuracy{window="500"} 0.5' in metrics
    assert 'prediction_log_dropped_total{kind="predictions",reason="buffer full"} 0.0' in metrics
    feedback = list(LogSink(str(log)).read("feedback"))
    assert [(row["request_id"], row["label"], row["predicted_label"]) for row in feedback] == [
        (served["request_id"], "shipping", "shipping"),
        (other["request_id"], "billing", "shipping"),
    ]


def test_feedback_survives_a_restart_of_the_service(
    trained: tuple[Settings, TrainingResult], log: Path
) -> None:
    with serve(trained, log) as client:
        served = client.post("/v1/predict", json={"text": PARCEL}).json()
    with serve(trained, log) as restarted:
        body = {"request_id": served["request_id"], "label": "returns"}
        assert restarted.post("/v1/feedback", json=body).status_code == 202


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"request_id": "made-up", "label": "shipping"}, 404, "unknown request_id"),
        ({"request_id": "SERVED", "label": "spam"}, 422, "'spam' is not one of model"),
        ({"request_id": "SERVED"}, 422, "label: Field required"),
        ({"request_id": "SERVED", "label": ""}, 422, "label: String should have at least"),
        ({"request_id": "SERVED", "label": "shipping", "x": 1}, 422, "x: Extra inputs"),
    ],
)
def test_feedback_that_cannot_be_taken_is_refused_with_the_reason(
    client: TestClient, log: Path, body: dict[str, Any], status: int, detail: str
) -> None:
    served = client.post("/v1/predict", json={"text": PARCEL}).json()
    if body.get("request_id") == "SERVED":
        body = body | {"request_id": served["request_id"]}
    refused = client.post("/v1/feedback", json=body)
    assert refused.status_code == status
    assert detail in refused.json()["detail"]


def test_ids_signed_for_another_log_are_unknown(
    trained: tuple[Settings, TrainingResult], tmp_path: Path
) -> None:
    with serve(trained, tmp_path / "one") as one, serve(trained, tmp_path / "two") as two:
        served = one.post("/v1/predict", json={"text": PARCEL}).json()
        body = {"request_id": served["request_id"], "label": "shipping"}
        assert two.post("/v1/feedback", json=body).status_code == 404


def test_feedback_needs_the_api_key_like_the_predictions(
    trained: tuple[Settings, TrainingResult], log: Path
) -> None:
    with serve(trained, log, key="secret") as client:
        served = client.post("/v1/predict", json={"text": PARCEL}).json()
        body = {"request_id": served["request_id"], "label": "shipping"}
        refused = client.post("/v1/feedback", json=body, headers={"X-API-Key": "wrong"})
        assert refused.status_code == 401
        assert client.post("/v1/feedback", json=body).status_code == 202
        schema = client.get("/openapi.json").json()["paths"]["/v1/feedback"]["post"]
        assert set(schema["responses"]) >= {"202", "401", "404", "413", "422", "503"}


def test_a_log_that_is_not_a_local_folder_needs_a_signing_key(
    trained: tuple[Settings, TrainingResult],
) -> None:
    settings = MonitoringSettings(_env_file=None, log_url="memory://prediction-log")
    with pytest.raises(ValueError, match=f"set {ENV_PREFIX}MONITORING_SIGNING_KEY, the same"):
        create_app(trained[0], api_settings(), settings)
    keyed = MonitoringSettings(_env_file=None, log_url="memory://log", signing_key="k")
    with TestClient(create_app(trained[0], api_settings(), keyed)) as client:
        served = client.post("/v1/predict", json={"text": PARCEL}).json()
    assert [r["request_id"] for r in LogSink("memory://log").read("predictions")] == [
        served["request_id"]
    ]
