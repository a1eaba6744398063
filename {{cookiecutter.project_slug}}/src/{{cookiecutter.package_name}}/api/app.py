"""The FastAPI application factory: `uvicorn <package>.api.app:create_app --factory`."""

import asyncio
import contextlib
import secrets
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

from .. import DISTRIBUTION
from ..prediction import Prediction, predict
from ..settings import Settings
from ..store import ModelStore, StoredModel
from .batching import MicroBatcher
from .limits import BodySizeLimit
from .model_holder import ModelHolder
from .observability import Metrics, RequestObserver, configure_access_log, exposed_registry
from .schemas import (
    BatchPredictionResponse,
    BatchPredictRequest,
    Health,
    ModelInfo,
    PredictionResponse,
    PredictRequest,
    Problem,
)
from .settings import ApiSettings

API_KEY_HEADER = "X-API-Key"
Responses = dict[int | str, dict[str, Any]]
UNAVAILABLE: Responses = {
    503: {"model": Problem, "description": "No model is loaded: run `make train`."}
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
        where = ".".join(str(part) for part in problem["loc"])
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)


def _response(prediction: Prediction, model: StoredModel) -> PredictionResponse:
    return PredictionResponse(
        label=prediction.label,
        confidence=prediction.confidence,
        probabilities=prediction.probabilities,
        model_version=model.metadata.version,
    )


def create_app(settings: Settings | None = None, api: ApiSettings | None = None) -> FastAPI:
    """Build the service; the model is loaded at start-up and refreshed in the background."""
    settings = settings or Settings()
    api = api or ApiSettings()
    holder = ModelHolder(ModelStore(settings.model_store), settings.model_version)
    metrics = Metrics(CollectorRegistry())
    batcher = MicroBatcher(api.max_batch_size)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        configure_access_log(settings.log_level)
        await asyncio.to_thread(holder.refresh)
        watcher = None
        if api.reload_interval_seconds > 0:
            watcher = asyncio.create_task(holder.watch(api.reload_interval_seconds))
        yield
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    app = FastAPI(
        title="Support message router",
        description="Routes customer-support messages to the team that should answer them.",
        version=_service_version(),
        lifespan=lifespan,
    )
    app.state.model_holder = holder
    app.state.batcher = batcher
    app.add_middleware(BodySizeLimit, max_bytes=api.max_body_bytes)
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

    key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False)

    async def authorised(key: Annotated[str | None, Security(key_header)]) -> None:
        expected = api.key.get_secret_value() if api.key else None
        if expected is not None and not secrets.compare_digest(key or "", expected):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"missing or wrong {API_KEY_HEADER}")

    async def serving() -> StoredModel:
        if holder.current is None:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, holder.problem)
        return holder.current

    ServedModel = Annotated[StoredModel, Depends(serving)]  # noqa: N806 (a type alias)
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
    async def model_info(model: ServedModel) -> ModelInfo:
        """The model being served: version, labels, held-out metrics and training time."""
        metadata = model.metadata
        return ModelInfo(
            version=metadata.version,
            labels=metadata.labels,
            metrics=metadata.metrics,
            trained_at=metadata.trained_at,
        )

    @app.post(
        "/v1/predict",
        tags=["predict"],
        responses=unauthorized | INVALID | UNAVAILABLE,
        **protected,
    )
    async def predict_one(request: PredictRequest, model: ServedModel) -> PredictionResponse:
        """Route one message; concurrent messages share one model call."""
        prediction = await batcher.predict(model, request.text)
        metrics.predictions.labels(prediction.label).inc()
        return _response(prediction, model)

    @app.post(
        "/v1/predict/batch",
        tags=["predict"],
        responses=unauthorized | INVALID | UNAVAILABLE,
        **protected,
    )
    def predict_batch(request: BatchPredictRequest, model: ServedModel) -> BatchPredictionResponse:
        """Route several messages at once (runs in a worker thread)."""
        if len(request.texts) > api.max_batch_size:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"at most {api.max_batch_size} texts per batch, got {len(request.texts)}",
            )
        predictions = predict(model.pipeline, request.texts)
        for prediction in predictions:
            metrics.predictions.labels(prediction.label).inc()
        responses = [_response(prediction, model) for prediction in predictions]
        return BatchPredictionResponse(predictions=responses, model_version=model.metadata.version)

    return app


def _version_of(holder: ModelHolder) -> str | None:
    return holder.current.metadata.version if holder.current else None
