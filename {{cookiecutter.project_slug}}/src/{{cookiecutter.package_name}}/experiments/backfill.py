"""Versions stored before the project tracked with MLflow, logged as runs after the fact."""

from __future__ import annotations

from collections.abc import Callable

from ..data import load_training_data
from ..settings import Settings
from ..store import ModelMetadata, ModelStore
from .runs import INPUT_EXAMPLES, log_version

# The evaluation files stored with every version, logged as the run's artifacts.
EVALUATION_FILES = ("metrics.json", "classification_report.txt", "confusion_matrix.png")


def untracked(store: ModelStore) -> list[str]:
    """Stored versions that no MLflow run stands for yet, oldest first."""
    return [name for name in store.versions() if store.metadata(name).mlflow_run_id is None]


def backfill(
    settings: Settings, on_version: Callable[[ModelMetadata], None]
) -> list[ModelMetadata]:
    """Log every untracked version as a run (its gate judged by today's threshold, its input
    example taken from today's data), register it, and record the run in the store; returns
    the versions logged."""
    store = ModelStore(settings.model_store)
    frame = load_training_data(settings.training_data, settings.id_column)
    examples = frame["text"].head(INPUT_EXAMPLES).tolist()
    logged = []
    for name in untracked(store):
        pipeline, metadata = store.load(name)
        on_version(metadata)
        artifacts = {file: store.artifact(name, file) for file in EVALUATION_FILES}
        tracked = log_version(
            pipeline,
            metadata,
            params=metadata.params,
            artifacts=artifacts,
            examples=examples,
            gate_passed=metadata.metrics["macro_f1"] >= settings.min_macro_f1,
            extra_tags={"backfilled": "true"},
        )
        metadata = metadata.model_copy(
            update={"mlflow_run_id": tracked.run_id, "mlflow_model_version": tracked.model_version}
        )
        store.record(metadata)
        logged.append(metadata)
    return logged
