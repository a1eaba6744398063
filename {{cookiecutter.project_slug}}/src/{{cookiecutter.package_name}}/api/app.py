"""The FastAPI application factory: `uvicorn <package>.api.app:create_app --factory`."""

import asyncio
import contextlib
import gc
import secrets
import sys
from collections.abc import AsyncIterator
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request, Security, status
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader
from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder
from pydantic import Field

from .. import DISTRIBUTION
{%- if cookiecutter.use_monitoring %}
from ..monitoring.monitor import Monitor
from ..monitoring.routes import feedback_router
from ..monitoring.settings import MonitoringSettings
{%- endif %}
from ..prediction import Prediction
from ..settings import Settings
from ..store import ModelStore, StoredModel
from .batching import MicroBatcher, OverloadedError
from .limits import BodySizeLimit
from .model_holder import ModelHolder
from .observability import Metrics, RequestObserver, configure_access_log, exposed_registry
from .schemas import (
    BatchPredictionResponse,
    Health,
    ModelInfo,
    PredictionResponse,
    PredictRequest,
    Problem,
    StrictRequest,
    Text,
)
from .settings import ApiSettings
from .turns import TakeTurns

{{ cookiecutter.project_name | python_constant("SERVICE_TITLE") }}
{{ cookiecutter.description | python_constant("SERVICE_DESCRIPTION") }}
API_KEY_HEADER = "X-API-Key"
RETRY_AFTER_SECONDS = 1
SWITCH_INTERVAL_SECONDS = 0.001
Responses = dict[int | str, dict[str, Any]]
UNAVAILABLE: Responses = {
    503: {"model": Problem, "description": "No model is loaded: run `make train`."}
}
BUSY: Responses = {
    503: {
        "model": Problem,
        "description": "No model is loaded (run `make train`), or too many texts are waiting for"
        " the model: retry after the seconds in `Retry-After`.",
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before retrying (when busy).",
                "schema": {"type": "integer"},
            }
        },
    }
}
UNAUTHORIZED: Responses = {401: {"model": Problem, "description": "Missing or wrong API key."}}
INVALID: Responses = {
    413: {"model": Problem, "description": "The request body is too large."},
    422: {"model": Problem, "description": "The request body is not valid; `detail` says why."},
}


def _service_version() -> str:
    """The installed version of the project."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0.0.0"


def _describe(error: RequestValidationError) -> str:
    parts = []
    for problem in error.errors():
        if problem["type"] == "json_invalid":
            parts.append(_not_json(problem["ctx"]["error"], problem["loc"][-1], error.body))
            continue
        where = ".".join(str(part) for part in problem["loc"])
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)


def _not_json(reason: str, position: int, document: object) -> str:
    """Where the body stops being JSON, as a line and column a person can find."""
    text = document if isinstance(document, str) else ""
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    return f"request body is not valid JSON: {reason} at line {line} column {column}"


def _response(prediction: Prediction, model: StoredModel{% if cookiecutter.use_monitoring %}, request_id: str{% endif %}) -> PredictionResponse:
    return PredictionResponse(
        label=prediction.label,
        confidence=prediction.confidence,
        probabilities=prediction.probabilities,
        model_version=model.metadata.version,
{%- if cookiecutter.use_monitoring %}
        request_id=request_id,
{%- endif %}
    )


{% if cookiecutter.use_monitoring -%}
def create_app(
    settings: Settings | None = None,
    api: ApiSettings | None = None,
    monitoring: MonitoringSettings | None = None,
) -> FastAPI:
{%- else -%}
def create_app(settings: Settings | None = None, api: ApiSettings | None = None) -> FastAPI:
{%- endif %}
    """Build the service; the model is loaded at start-up and refreshed in the background."""
    settings = settings or Settings()
    api = api or ApiSettings()
    holder = ModelHolder(ModelStore(settings.model_store), settings.model_version)
    metrics = Metrics(CollectorRegistry())
    batcher = MicroBatcher(api.max_batch_size, api.max_waiting_texts)
{%- if cookiecutter.use_monitoring %}
    monitor = Monitor(monitoring or MonitoringSettings(), holder.store, metrics.registry)
{%- endif %}

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        configure_access_log(settings.log_level)
        # Two process-wide settings keep the event loop answering while the model thread works:
        # what was imported lives as long as the process, so a full garbage collection need not
        # scan those 100,000 objects (a pause of 50 ms, far more on a busy machine); and the
        # loop, which gives up the GIL at every wait, gets it back from the model thread within
        # 1 ms instead of 5.
        gc.freeze()
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        await asyncio.to_thread(holder.refresh)
{%- if cookiecutter.use_monitoring %}
        monitor.start()
{%- endif %}
        watcher = None
        if api.reload_interval_seconds > 0:
            watcher = asyncio.create_task(holder.watch(api.reload_interval_seconds))
        yield
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        batcher.close()
{%- if cookiecutter.use_monitoring %}
        await asyncio.to_thread(monitor.close)
{%- endif %}

    app = FastAPI(
        title=SERVICE_TITLE,
        description=SERVICE_DESCRIPTION,
        version=_service_version(),
        lifespan=lifespan,
    )
    app.state.model_holder = holder
    app.state.batcher = batcher
    app.add_middleware(BodySizeLimit, max_bytes=api.max_body_bytes)
    app.add_middleware(TakeTurns, exempt="/health/")
    app.add_middleware(RequestObserver, metrics=metrics, model_version=lambda: _version_of(holder))
    if api.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=api.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=[API_KEY_HEADER, "Content-Type"],
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": _describe(error)})

    @app.exception_handler(OverloadedError)
    async def overloaded(_: Request, error: OverloadedError) -> JSONResponse:
        metrics.refused.inc()
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return JSONResponse(status_code=503, content={"detail": str(error)}, headers=headers)

    key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False)

    async def authorised(key: Annotated[str | None, Security(key_header)]) -> None:
        expected = api.key.get_secret_value().encode("utf-8") if api.key else None
        # Headers arrive as Latin-1 text: encoding back gives the bytes that were sent, which
        # compare with any key (compare_digest refuses str that is not ASCII).
        given = (key or "").encode("latin-1")
        if expected is not None and not secrets.compare_digest(given, expected):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"missing or wrong {API_KEY_HEADER}")

    def served() -> StoredModel:
        """The model being served (a plain call: a dependency would cost each request more)."""
        if holder.current is None:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, holder.problem)
        return holder.current

    # Without a key the schema declares no security scheme and no 401, as nothing checks them.
    protected: dict[str, Any] = {"dependencies": [Depends(authorised)]} if api.key else {}
    unauthorized: Responses = UNAUTHORIZED if api.key else {}

    exposed = exposed_registry(metrics)

    @app.get("/metrics", include_in_schema=False)
    def metrics_page(request: Request) -> Response:
        """Prometheus metrics, in the format the scraper asks for."""
        encode, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encode(exposed), media_type=content_type)

    @app.get("/health/live", tags=["health"])
    async def live() -> Health:
        """The process is up."""
        return Health(status="ok")

    @app.get(
        "/health/ready", tags=["health"], response_model=Health, responses={503: {"model": Health}}
    )
    async def ready() -> JSONResponse:
        """Ready to predict: a model is loaded."""
        if holder.current is None:
            body = Health(status="not ready", reason=holder.problem)
            return JSONResponse(status_code=503, content=body.model_dump())
        body = Health(status="ready", model_version=holder.current.metadata.version)
        return JSONResponse(content=body.model_dump())

    @app.get("/v1/model", tags=["model"], responses=unauthorized | UNAVAILABLE, **protected)
    async def model_info() -> ModelInfo:
        """The model being served: version, labels, held-out metrics and training time."""
        metadata = served().metadata
        return ModelInfo(
            version=metadata.version,
            labels=metadata.labels,
            metrics=metadata.metrics,
            trained_at=metadata.trained_at,
            serving=metadata.serving,
{%- if cookiecutter.use_mlflow %}
            run_id=metadata.mlflow_run_id,
{%- endif %}
        )

    @app.post(
        "/v1/predict",
        tags=["predict"],
        responses=unauthorized | INVALID | BUSY,
        **protected,
    )
    async def predict_one(request: PredictRequest) -> PredictionResponse:
        """Route one message; concurrent messages share one model call."""
        model = served()
        [prediction] = await batcher.predict(model, [request.text])
        metrics.predictions.labels(prediction.label).inc()
{%- if cookiecutter.use_monitoring %}
        [request_id] = monitor.served(model, [request.text], [prediction])
        return _response(prediction, model, request_id)
{%- else %}
        return _response(prediction, model)
{%- endif %}

    max_texts = api.max_batch_size

    class BatchPredictRequest(StrictRequest):
        """Several messages to route at once (at most the configured batch size)."""

        texts: list[Text] = Field(
            min_length=1,
            max_length=max_texts,  # a setting, hence a class built with the app
            examples=[["I was charged twice", "How do I reset my password?"]],
        )

    @app.post(
        "/v1/predict/batch",
        tags=["predict"],
        responses=unauthorized | INVALID | BUSY,
        **protected,
    )
    async def predict_batch(request: BatchPredictRequest) -> BatchPredictionResponse:
        """Route several messages at once; they share model calls with concurrent requests."""
        model = served()
        predictions = await batcher.predict(model, request.texts)
        for prediction in predictions:
            metrics.predictions.labels(prediction.label).inc()
{%- if cookiecutter.use_monitoring %}
        request_ids = monitor.served(model, request.texts, predictions)
        responses = [
            _response(prediction, model, request_id)
            for prediction, request_id in zip(predictions, request_ids, strict=True)
        ]
{%- else %}
        responses = [_response(prediction, model) for prediction in predictions]
{%- endif %}
        return BatchPredictionResponse(predictions=responses, model_version=model.metadata.version)
{%- if cookiecutter.use_monitoring %}

    app.include_router(feedback_router(monitor), responses=unauthorized | INVALID, **protected)
{%- endif %}

    return app


def _version_of(holder: ModelHolder) -> str | None:
    return holder.current.metadata.version if holder.current else None
