"""Request and response bodies; requests are strict so wrong types are refused, not coerced."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..labels import MAX_TEXT_LENGTH

# At least one non-blank character. U+0085 and U+FEFF are named because JSON Schema's `\s`
# (ECMAScript) and the server's disagree on them; the schema must mean what the server does.
NOT_BLANK = r"[^\s\u0085\ufeff]"
Text = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_TEXT_LENGTH, pattern=NOT_BLANK)
]


class StrictRequest(BaseModel):
    """A request body: strict types, no unknown fields. The batch request is built with the
    app (`create_app`), as the most texts it takes is a setting that its schema shows."""

    model_config = ConfigDict(strict=True, extra="forbid")


class PredictRequest(StrictRequest):
    """One message to route."""

    text: Text = Field(examples=["My parcel never arrived, where is it?"])


class PredictionResponse(BaseModel):
    """The team a message goes to, with the probability of every team."""

    label: str = Field(examples=["shipping"])
    confidence: float = Field(examples=[0.87])
    probabilities: dict[str, float]
    model_version: str
{%- if cookiecutter.use_monitoring %}
    request_id: str = Field(
        description="Names this prediction: send it with the true label to /v1/feedback."
    )
{%- endif %}


class BatchPredictionResponse(BaseModel):
    """Predictions in the order of the texts."""

    predictions: list[PredictionResponse]
    model_version: str


class ModelInfo(BaseModel):
    """The model being served."""

    version: str
    labels: list[str]
    metrics: dict[str, float]
    trained_at: datetime
    serving: str = Field(
        description="What predicts for this version outside the API (command line, batch):"
        " `scorer`, its fast scorer, or `pipeline`, the model itself (which the API serves).",
        examples=["scorer"],
    )
{%- if cookiecutter.use_mlflow %}
    run_id: str | None = Field(
        None, description="The MLflow run that logged the version (None before it was tracked)."
    )
{%- endif %}


class Health(BaseModel):
    """Liveness or readiness."""

    status: str = Field(examples=["ok"])
    model_version: str | None = None
    reason: str | None = None


class Problem(BaseModel):
    """An error: what went wrong, in one sentence."""

    detail: str
