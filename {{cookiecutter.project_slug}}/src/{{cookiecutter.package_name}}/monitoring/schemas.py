"""The feedback request and its receipt."""

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from ..api.schemas import StrictRequest

RequestId = Annotated[str, StringConstraints(min_length=1, max_length=1_000)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class FeedbackRequest(StrictRequest):
    """The true label of a served prediction."""

    request_id: RequestId = Field(description="The `request_id` of the prediction.")
    label: Label = Field(examples=["billing"])


class FeedbackReceipt(BaseModel):
    """Feedback taken: it is logged with the prediction it is about."""

    request_id: str
    label: str
    predicted_label: str
    model_version: str
