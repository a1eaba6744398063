import asyncio
import io
import json
import logging
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }} import training
from {{ cookiecutter.package_name }}.api.app import create_app
from {{ cookiecutter.package_name }}.api.observability import JsonFormatter, access_logger
from {{ cookiecutter.package_name }}.settings import Settings
{%- if cookiecutter.use_mlflow %}
from {{ cookiecutter.package_name }}.store import ModelMetadata
{%- endif %}
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..own_models import OWN_MODELS
from ..support import make_settings
from .conftest import api_settings


def test_liveness_and_readiness(client: TestClient) -> None:
    assert client.get("/health/live").json() == {
        "status": "ok",
        "model_version": None,
        "reason": None,
    }
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert client.get("/openapi.json").json()["info"]["version"] == pyproject["project"]["version"]


def test_without_a_model_the_service_is_not_ready_and_says_what_to_do(
    untrained_client: TestClient, tmp_path: Path
) -> None:
    ready = untrained_client.get("/health/ready")
    assert ready.status_code == 503
    assert "make train" in ready.json()["reason"]
    predicted = untrained_client.post("/v1/predict", json={"text": "Where is my parcel?"})
    assert predicted.status_code == 503
    assert "make train" in predicted.json()["detail"]
    # The store's URL stays inside: a bucket name can hold an account id.
    assert str(tmp_path) not in ready.text + predicted.text


def test_single_prediction(client: TestClient, trained: tuple[Settings, TrainingResult]) -> None:
    _, result = trained
    response = client.post("/v1/predict", json={"text": "My parcel never arrived, where is it?"})
    assert response.status_code == 200
    body = response.json()
    assert body["label"] == "shipping"
    assert body["model_version"] == result.metadata.version
    assert sum(body["probabilities"].values()) == pytest.approx(1.0)
    assert body["confidence"] == max(body["probabilities"].values())


def test_batch_prediction_keeps_the_order(client: TestClient) -> None:
    texts = ["I was charged twice for my order", "My parcel never arrived, where is it?"]
    response = client.post("/v1/predict/batch", json={"texts": texts})
    assert response.status_code == 200
    assert [p["label"] for p in response.json()["predictions"]] == ["billing", "shipping"]


def test_model_metadata(client: TestClient, trained: tuple[Settings, TrainingResult]) -> None:
    _, result = trained
    body = client.get("/v1/model").json()
    assert body["version"] == result.metadata.version
    assert body["labels"] == result.metadata.labels
    assert body["metrics"]["macro_f1"] == pytest.approx(result.metadata.metrics["macro_f1"])
    assert body["serving"] == "scorer"
{%- if cookiecutter.use_mlflow %}
    assert body["run_id"] is None  # trained without tracking


def test_model_metadata_names_the_mlflow_run_of_a_tracked_version(
    tracked: tuple[Settings, ModelMetadata],
) -> None:
    settings, metadata = tracked
    with TestClient(create_app(settings, api_settings())) as client:
        body = client.get("/v1/model").json()
    assert body["run_id"] == metadata.mlflow_run_id
{%- endif %}


@pytest.mark.parametrize("name", ["naive-bayes", "truncated-svd-step"])
def test_your_own_model_is_served_from_its_pipeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setattr(training, "build_pipeline", OWN_MODELS[name])
    settings = make_settings(tmp_path)
    training.train(settings)
    with TestClient(create_app(settings, api_settings())) as client:
        assert client.get("/v1/model").json()["serving"] == "pipeline"
        response = client.post("/v1/predict", json={"text": "I was charged twice for my order"})
    assert response.status_code == 200
    assert response.json()["label"] == "billing"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": 5}, "text: Input should be a valid string"),
        ({"text": False}, "text: Input should be a valid string"),
        ({"text": ""}, "text: String should have at least 1 character"),
        ({"text": "   "}, "text: String should match pattern"),
        ({"text": "\u0085\ufeff"}, "text: String should match pattern"),
        ({"text": "x" * 5001}, "text: String should have at most 5000 characters"),
        ({}, "body.text: Field required"),
        ({"text": "hi", "extra": 1}, "body.extra: Extra inputs are not permitted"),
        ([], "Input should be a valid dictionary"),
    ],
)
def test_bad_requests_get_a_422_that_says_why(
    client: TestClient, body: object, message: str
) -> None:
    response = client.post("/v1/predict", json=body)
    assert response.status_code == 422
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"text": "hi" "there"}', "Expecting ',' delimiter at line 1 column 15"),
        (b'{\n  "text":\n}', "Expecting value at line 3 column 1"),
    ],
)
def test_malformed_json_gets_a_422_that_says_where(
    client: TestClient, body: bytes, message: str
) -> None:
    headers = {"Content-Type": "application/json"}
    response = client.post("/v1/predict", content=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == f"request body is not valid JSON: {message}"


def test_an_oversized_batch_is_refused_before_its_texts_are_validated(client: TestClient) -> None:
    too_many = client.post("/v1/predict/batch", json={"texts": [""] * 257})
    assert too_many.status_code == 422
    assert too_many.json()["detail"] == (
        "body.texts: List should have at most 256 items after validation, not 257"
    )
    assert client.post("/v1/predict/batch", json={"texts": []}).status_code == 422
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert schema["BatchPredictRequest"]["properties"]["texts"]["maxItems"] == 256


def test_bodies_over_the_limit_get_413(trained: tuple[Settings, TrainingResult]) -> None:
    settings, _ = trained

    def in_chunks() -> Iterator[bytes]:  # no Content-Length: the size shows only while reading
        yield b'{"texts": ["'
        yield b"a" * 1200
        yield b'"]}'

    with TestClient(create_app(settings, api_settings(max_body_bytes=1_000))) as small:
        declared = small.post("/v1/predict/batch", json={"texts": ["a" * 600, "b" * 600]})
        streamed = small.post(
            "/v1/predict/batch", content=in_chunks(), headers={"Content-Type": "application/json"}
        )
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["detail"] == "request body is larger than 1000 bytes"


def test_api_key_is_required_when_configured(trained: tuple[Settings, TrainingResult]) -> None:
    settings, _ = trained
    with TestClient(create_app(settings, api_settings(key="s3cret"))) as secured:
        body = {"text": "Where is my parcel?"}
        assert secured.post("/v1/predict", json=body).status_code == 401
        wrong = secured.post("/v1/predict", json=body, headers={"X-API-Key": "nope"})
        assert wrong.status_code == 401
        right = secured.post("/v1/predict", json=body, headers={"X-API-Key": "s3cret"})
        assert right.status_code == 200
        assert secured.get("/health/ready").status_code == 200
        not_ascii = secured.post("/v1/predict", json=body, headers={b"X-API-Key": "clé".encode()})
        assert not_ascii.status_code == 401


def test_a_key_that_is_not_ascii_works(trained: tuple[Settings, TrainingResult]) -> None:
    settings, _ = trained
    with TestClient(create_app(settings, api_settings(key="clé-secrète"))) as secured:
        headers = {b"X-API-Key": "clé-secrète".encode()}
        response = secured.post("/v1/predict", json={"text": "Hi"}, headers=headers)
    assert response.status_code == 200


def test_cors_allows_only_configured_origins(trained: tuple[Settings, TrainingResult]) -> None:
    settings, _ = trained
    app = create_app(settings, api_settings(cors_origins=["https://support.example.com"]))
    with TestClient(app) as cors:
        preflight = {"Access-Control-Request-Method": "POST"}
        allowed = cors.options(
            "/v1/predict", headers={"Origin": "https://support.example.com"} | preflight
        )
        denied = cors.options("/v1/predict", headers={"Origin": "https://evil.example"} | preflight)
    assert allowed.headers["access-control-allow-origin"] == "https://support.example.com"
    assert "access-control-allow-origin" not in denied.headers


def test_metrics_and_structured_request_logs(client: TestClient) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    access_logger.addHandler(handler)
    try:
        response = client.post(
            "/v1/predict", json={"text": "I was charged twice"}, headers={"X-Request-ID": "req-42"}
        )
    finally:
        access_logger.removeHandler(handler)
    assert response.headers["X-Request-ID"] == "req-42"
    metrics = client.get("/metrics").text
    assert 'predictions_total{label="billing"}' in metrics
    assert 'http_request_duration_seconds_bucket{le="0.025",path="/v1/predict"}' in metrics
    [logged] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert logged["request_id"] == "req-42"
    assert logged["path"] == "/v1/predict"
    assert logged["status"] == 200
    assert logged["model_version"] == response.json()["model_version"]
    assert logged["duration_ms"] >= 0


def test_concurrent_predictions_share_model_calls_and_keep_their_answers(
    trained: tuple[Settings, TrainingResult],
) -> None:
    settings, _ = trained
    app = create_app(settings, api_settings())
    texts = ["I was charged twice for my order", "My parcel never arrived, where is it?"] * 8

    async def route_all() -> list[str]:
        app.state.model_holder.refresh()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            responses = await asyncio.gather(
                *(client.post("/v1/predict", json={"text": text}) for text in texts)
            )
        return [response.json()["label"] for response in responses]

    labels = asyncio.run(route_all())
    assert labels == ["billing", "shipping"] * 8
    assert sum(app.state.batcher.batch_sizes) == len(texts)
    assert max(app.state.batcher.batch_sizes) > 1


def test_past_the_waiting_limit_predictions_get_503_and_retry_after(
    trained: tuple[Settings, TrainingResult],
) -> None:
    settings, _ = trained
    app = create_app(settings, api_settings(max_batch_size=4, max_waiting_texts=4))
    batch = {"texts": ["I was charged twice for my order"] * 4}

    async def arriving_together() -> list[httpx.Response]:
        app.state.model_holder.refresh()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            responses = list(
                await asyncio.gather(
                    client.post("/v1/predict/batch", json=batch),
                    client.post("/v1/predict", json={"text": "Where is my parcel?"}),
                    client.post("/v1/predict/batch", json=batch),
                )
            )
            # Once the waiting texts are answered, there is room again.
            responses.append(await client.post("/v1/predict/batch", json=batch))
            responses.append(await client.get("/metrics"))
        return responses

    admitted, single, second, later, metrics = asyncio.run(arriving_together())
    assert [admitted.status_code, single.status_code, second.status_code] == [200, 503, 503]
    for refused in (single, second):  # the batch's four texts fill the queue
        assert refused.headers["Retry-After"] == "1"
        assert refused.json()["detail"] == (
            "the service is busy: 4 texts are waiting for the model (at most 4); retry shortly"
        )
    assert later.status_code == 200
    assert "overloaded_refusals_total 2.0" in metrics.text
