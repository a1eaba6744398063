"""`POST /v1/feedback`: the true label of a prediction this service made."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, status

from ..api.model_holder import UNREADABLE_STORE
from ..store import ModelNotFoundError
from .monitor import Monitor
from .schemas import FeedbackReceipt, FeedbackRequest


def feedback_router(monitor: Monitor) -> APIRouter:
    """The feedback endpoint, for `app.include_router` with the prediction endpoints' key rule."""
    router = APIRouter()

    @router.post(
        "/v1/feedback",
        tags=["monitoring"],
        status_code=status.HTTP_202_ACCEPTED,
        responses={
            404: {"description": "No prediction of this service has that request id."},
            422: {"description": "The label is not one of the model's, or the body is invalid."},
            503: {"description": "The model store cannot be read to check the label."},
        },
    )
    async def feedback(request: FeedbackRequest) -> FeedbackReceipt:
        """Record the true label of a served prediction; it is logged with the prediction and
        counts in the live accuracy and macro-F1 of `/metrics`."""
        served = monitor.ids.read(request.request_id)
        if served is None:
            raise HTTPException(
                status.HTTP_404_NOT_FOUND,
                "unknown request_id: send one that a prediction of this service returned",
            )
        try:
            labels = await asyncio.to_thread(monitor.labels_of, served.model_version)
        except ModelNotFoundError:
            raise HTTPException(
                status.HTTP_404_NOT_FOUND,
                f"model version {served.model_version}, which made that prediction, is no longer"
                " in the model store",
            ) from None
        except OSError:  # the store is out of reach: the label cannot be checked now
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, UNREADABLE_STORE) from None
        if request.label not in labels:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"label {request.label!r} is not one of model {served.model_version}'s labels:"
                f" {', '.join(labels)}",
            )
        monitor.feedback(served, request.label)
        return FeedbackReceipt(
            request_id=served.request_id,
            label=request.label,
            predicted_label=served.label,
            model_version=served.model_version,
        )

    return router
