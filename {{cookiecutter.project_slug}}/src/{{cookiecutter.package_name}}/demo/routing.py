"""Where the demo's predictions come from: the model store, in this process (the default)
{%- if cookiecutter.use_api %}, or the
running API when `DEMO_API_URL` is set{% endif %}."""

from collections.abc import Sequence
from typing import Protocol

{% if cookiecutter.use_api -%}
import httpx
{% endif -%}
import streamlit as st

from ..prediction import Prediction, predict
from ..settings import Settings
from ..store import ModelStore, StoredModel
{%- if cookiecutter.use_api %}
from .settings import DemoSettings
{%- endif %}


class Router(Protocol):
    """Routes messages with one model version."""

    version: str

    def route(self, texts: Sequence[str]) -> list[Prediction]:
        """The prediction for each text, in order."""
        ...


class LocalRouter:
    """Predicts in this process with a model from the store."""

    def __init__(self, model: StoredModel) -> None:
        self.model = model
        self.version = model.metadata.version

    def route(self, texts: Sequence[str]) -> list[Prediction]:
        return predict(self.model.pipeline, texts)

{% if cookiecutter.use_api %}
class ApiRouter:
    """Asks the running API, in batches as large as it accepts."""

    BATCH = 256

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=30)
        self.version = str(self.client.get("/v1/model").raise_for_status().json()["version"])

    def route(self, texts: Sequence[str]) -> list[Prediction]:
        predictions = []
        for start in range(0, len(texts), self.BATCH):
            batch = {"texts": list(texts[start : start + self.BATCH])}
            answer = self.client.post("/v1/predict/batch", json=batch).raise_for_status()
            for item in answer.json()["predictions"]:
                predictions.append(
                    Prediction(item["label"], item["confidence"], item["probabilities"])
                )
        return predictions

{% endif %}
@st.cache_resource(show_spinner="Loading the model...")
def _stored(store_url: str, version: str) -> StoredModel:
    """One load per store and version, shared by every session of the demo."""
    return ModelStore(store_url).load(version)


def store() -> ModelStore:
    return ModelStore(Settings().model_store)


def router() -> Router:
    """The router that the settings ask for; a new model version is picked up on the next run."""
{%- if cookiecutter.use_api %}
    demo = DemoSettings()
    if demo.api_url:
        return ApiRouter(demo.api_url)
{%- endif %}
    settings = Settings()
    return LocalRouter(_stored(settings.model_store, store().resolve(settings.model_version)))
