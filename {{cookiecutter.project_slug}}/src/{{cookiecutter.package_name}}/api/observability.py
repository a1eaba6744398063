"""Structured request logs and Prometheus metrics."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.requests import Request
from starlette.responses import Response

REQUEST_ID_HEADER = "X-Request-ID"
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
    """Send request logs as JSON lines to stderr."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    access_logger.handlers[:] = [handler]
    access_logger.setLevel(level)
    access_logger.propagate = False


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


def request_observer(
    metrics: Metrics, model_version: Callable[[], str | None]
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """HTTP middleware: request id, timing, one JSON log line and metrics per request."""

    async def observe(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get(REQUEST_ID_HEADER) or uuid.uuid4().hex
        started = time.perf_counter()
        response = await call_next(request)
        elapsed = time.perf_counter() - started
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        response.headers[REQUEST_ID_HEADER] = request_id
        metrics.requests.labels(request.method, path, str(response.status_code)).inc()
        metrics.latency.labels(path).observe(elapsed)
        access_logger.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.url.path,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 2),
                "model_version": model_version(),
            },
        )
        return response

    return observe
