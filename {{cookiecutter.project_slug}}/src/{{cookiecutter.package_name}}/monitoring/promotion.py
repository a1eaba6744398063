"""`make promote`: the challenger's record against the version served, then the switch."""

from __future__ import annotations

from datetime import date

from ..data import load_training_data
from ..docs import update_docs
{%- if cookiecutter.use_mlflow %}
from ..experiments.registry import follow_the_store
{%- endif %}
from ..settings import Settings
from ..store import LATEST, ModelMetadata, ModelStore
from .challenger import Comparison, compare
from .settings import MonitoringSettings
from .sink import LogSink
from .window import MonitorError, served_window


def shadow_record(
    settings: Settings, monitoring: MonitoringSettings, since: date, until: date, version: str
) -> Comparison | None:
    """How `version`, scored in shadow, compared with the version served from `since` to
    `until`; None when the log holds no shadow prediction of it."""
    store = ModelStore(settings.model_store)
    try:
        window = served_window(LogSink(monitoring.log_url), since, until, store.resolve(LATEST))
    except MonitorError:
        return None
    return compare(window, monitoring.live_minimum, store.resolve(version))


def promote(settings: Settings, version: str) -> ModelMetadata:
    """Serve `version`: point the store's latest at it (the API follows within its reload
    interval), refresh the model card{% if cookiecutter.use_mlflow %} and, with tracking on, move MLflow's champion alias{% endif %}."""
    store = ModelStore(settings.model_store)
    metadata = store.metadata(version)
    store.promote(metadata.version)
    update_docs(
        settings.docs_dir,
        metadata,
        load_training_data(settings.training_data, settings.id_column),
    )
{%- if cookiecutter.use_mlflow %}
    if settings.track_experiments:
        follow_the_store(metadata)
{%- endif %}
    return metadata
