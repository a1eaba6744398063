"""Where the demo's predictions come from: the model store, in this process (the default)
{%- if cookiecutter.use_api %}, or the
running API when `DEMO_API_URL` is set{% endif %}."""

from collections.abc import Sequence
from typing import {% if cookiecutter.use_api %}Any, {% endif %}Protocol

{% if cookiecutter.use_api -%}
import httpx
{% endif -%}
import streamlit as st
{%- if cookiecutter.use_api %}
from pydantic import SecretStr
{%- endif %}

from ..prediction import Prediction, predict
from ..settings import {% if cookiecutter.use_api %}ENV_PREFIX, {% endif %}Settings
from ..store import ModelNotFoundError, ModelStore, StoredModel
{%- if cookiecutter.use_api %}
from .settings import DemoSettings
{%- endif %}


class RoutingError(RuntimeError):
    """No predictions can be had; the message says why, for the page to show."""


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
    """Asks the running API, in batches as large as it accepts, with its key when it has one."""

    BATCH = 256
    KEY_HEADER = "X-API-Key"

    def __init__(self, url: str, key: SecretStr | None = None) -> None:
        self.url = url
        self.headers = {self.KEY_HEADER: key.get_secret_value()} if key else {}
        self.version = str(self._call("GET", "/v1/model")["version"])

    def _call(self, method: str, path: str, **options: Any) -> Any:
        # A client per call: a page run makes a few calls, and nothing outlives it unclosed.
        try:
            with httpx.Client(base_url=self.url, headers=self.headers, timeout=30) as client:
                return client.request(method, path, **options).raise_for_status().json()
        except httpx.TransportError as error:
            problem = f"does not answer ({error.__class__.__name__})"
        except httpx.HTTPStatusError as error:
            problem = f"answered {error.response.status_code}: {error.response.text[:200]}"
            if error.response.status_code == 401:
                problem = f"refused the key: set {ENV_PREFIX}DEMO_API_KEY to the API's key"
        raise RoutingError(f"The API at {self.url} {problem}.")

    def route(self, texts: Sequence[str]) -> list[Prediction]:
        predictions = []
        for start in range(0, len(texts), self.BATCH):
            batch = {"texts": list(texts[start : start + self.BATCH])}
            for item in self._call("POST", "/v1/predict/batch", json=batch)["predictions"]:
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
        return ApiRouter(demo.api_url, demo.api_key)
{%- endif %}
    settings = Settings()
    try:
        return LocalRouter(_stored(settings.model_store, store().resolve(settings.model_version)))
    except ModelNotFoundError as error:
        raise RoutingError(f"{error}.") from error
