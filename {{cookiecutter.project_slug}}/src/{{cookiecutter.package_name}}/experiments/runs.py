"""A model version as an MLflow run: parameters, metrics, evaluation files, training data,
lineage tags and the model itself, registered under the project's model name."""

from __future__ import annotations

import logging
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import ModelMetadata
from .tracking import REGISTERED_MODEL, reported_as, use_project_experiment

if TYPE_CHECKING:
    import pandas as pd
    from sklearn.pipeline import Pipeline

# The tags that link a run and a registered version to the store's version.
STORE_VERSION_TAG = "store_version"
GATE_TAG = "quality_gate"
MODEL_NAME = "model"
INPUT_EXAMPLES = 2  # texts of the data logged with the model as its input example


@dataclass(frozen=True)
class TrackedVersion:
    """Where a store version is tracked: its run and its version in the model registry."""

    run_id: str
    model_version: str


def flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested settings as MLflow parameters: `params.regularization_c` -> "10.0"."""
    flat: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            flat |= flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def lineage_tags(metadata: ModelMetadata, gate_passed: bool) -> dict[str, str]:
    """Tags that say which code, libraries and store version a run stands for."""
    tags = {
        STORE_VERSION_TAG: metadata.version,
        GATE_TAG: "passed" if gate_passed else "failed",
        "package_version": metadata.code.package_version,
        "data_sha256": metadata.data.sha256,
    }
    if metadata.code.git_commit:
        tags["mlflow.source.git.commit"] = metadata.code.git_commit
    return tags | {f"library.{name}": version for name, version in metadata.libraries.items()}


def log_version(
    pipeline: Pipeline,
    metadata: ModelMetadata,
    *,
    params: Mapping[str, Any],
    artifacts: Mapping[str, bytes],
    examples: Sequence[str],
    gate_passed: bool,
    data: pd.DataFrame | None = None,
    extra_tags: Mapping[str, str] | None = None,
) -> TrackedVersion:
    """Log one store version as a run and register its model, with a few texts of the data as
    its input example; `data` is the training data (logged as a dataset with its SHA-256) when
    it is at hand."""
    import mlflow
    import numpy as np
    from mlflow.data.pandas_dataset import from_pandas
    from mlflow.models import infer_signature

    # MLflow's own notes (database set-up, the pickle caution...) would drown the training's.
    logging.getLogger("mlflow").setLevel(logging.ERROR)
    with reported_as(f"Logging version {metadata.version}"):
        use_project_experiment()
        with mlflow.start_run(run_name=metadata.version) as run:
            mlflow.set_tags(lineage_tags(metadata, gate_passed) | dict(extra_tags or {}))
            mlflow.log_params(flatten(params))
            mlflow.log_metrics(metadata.metrics)
            with tempfile.TemporaryDirectory() as folder:
                for name, content in artifacts.items():
                    (Path(folder) / name).write_bytes(content)
                mlflow.log_artifacts(folder, artifact_path="evaluation")
            if data is not None:
                with warnings.catch_warnings():
                    # MLflow registers two sources for local files and warns that a path
                    # matches both, which it resolves to the same kind.
                    warnings.filterwarnings("ignore", "The specified dataset source can be")
                    dataset = from_pandas(
                        data, source=metadata.data.files[0], targets="label", name="training-data"
                    )
                sha256 = {"sha256": metadata.data.sha256, "rows": str(metadata.data.rows)}
                mlflow.log_input(dataset, context="training", tags=sha256)
            # A 1-D array of texts is what the pipeline (and MLflow's pyfunc) takes.
            texts = np.array(examples)
            signature = infer_signature(texts, pipeline.predict(texts))
            model = mlflow.sklearn.log_model(
                pipeline,
                name=MODEL_NAME,
                signature=signature,
                input_example=texts,
                # A pickle, like the store's model.joblib (skops, MLflow's default, would need
                # the project's own feature class declared trusted to load it).
                serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_CLOUDPICKLE,
                # Named here: inferring them would run the model in a subprocess (seconds).
                pip_requirements=[f"scikit-learn=={metadata.libraries['scikit-learn']}"],
            )
        registered = register(model.model_uri, run.info.run_id, model.model_id, metadata.version)
    return TrackedVersion(run.info.run_id, registered)


def register(model_uri: str, run_id: str, model_id: str, store_version: str) -> str:
    """Register a logged model under the project's model name; returns its version number."""
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    client = MlflowClient()
    try:
        client.create_registered_model(REGISTERED_MODEL)
    except MlflowException as error:
        if error.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
    registered = client.create_model_version(
        REGISTERED_MODEL,
        model_uri,
        run_id=run_id,
        model_id=model_id,
        tags={STORE_VERSION_TAG: store_version},
    )
    return str(registered.version)
