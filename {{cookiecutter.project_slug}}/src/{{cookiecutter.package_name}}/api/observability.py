"""Structured request logs and Prometheus metrics."""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
access_logger = logging.getLogger("api.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per log line, with the fields passed as `extra`."""

    FIELDS = ("request_id", "method", "path", "status", "duration_ms", "model_version")

    def format(self, record: logging.LogRecord) -> str:
        document = {"time": self.formatTime(record), "level": record.levelname}
        document["message"] = record.getMessage()
        document |= {
            field: getattr(record, field) for field in self.FIELDS if hasattr(record, field)
        }
        return json.dumps(document)


def configure_access_log(level: str) -> None:
    """Send request logs as JSON lines to stderr, and silence uvicorn's own access log, which
    `uvicorn` on the command line (`make serve`) writes by default: one line per request."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    access_logger.handlers[:] = [handler]
    access_logger.setLevel(level)
    access_logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True


class Metrics:
    """The service's Prometheus metrics, in their own registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.requests = Counter(
            "http_requests_total", "HTTP requests.", ["method", "path", "status"], registry=registry
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency.",
            ["path"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=registry,
        )
        self.predictions = Counter(
            "predictions_total", "Predictions per label.", ["label"], registry=registry
        )
        self.refused = Counter(
            "overloaded_refusals_total",
            "Prediction requests refused with 503 because too many texts were waiting.",
            registry=registry,
        )


def exposed_registry(metrics: Metrics) -> CollectorRegistry:
    """What `/metrics` shows: this process's metrics, or those of every worker when they share
    a folder (prometheus_client's multiprocess mode, set up by the production server)."""
    if MULTIPROCESS_DIR_VARIABLE not in os.environ:
        return metrics.registry
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


class RequestObserver:
    """ASGI middleware: request id, timing, one JSON log line and metrics per HTTP request."""

    def __init__(
        self, app: ASGIApp, metrics: Metrics, model_version: Callable[[], str | None]
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.model_version = model_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(REQUEST_ID_HEADER.lower().encode("latin-1"))
        request_id = given.decode("latin-1") if given else uuid.uuid4().hex
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                header = (REQUEST_ID_HEADER.encode("latin-1"), request_id.encode("latin-1"))
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, request_id, status, time.perf_counter() - started)

    def _record(self, scope: Scope, request_id: str, status: int, elapsed: float) -> None:
        route = getattr(scope.get("route"), "path", "unmatched")
        self.metrics.requests.labels(scope["method"], route, str(status)).inc()
        self.metrics.latency.labels(route).observe(elapsed)
        access_logger.info(
            "request",
            extra={
                "request_id": request_id,
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
                "model_version": self.model_version(),
            },
        )
