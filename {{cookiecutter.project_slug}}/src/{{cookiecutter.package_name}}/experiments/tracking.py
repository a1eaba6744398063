"""Where runs are tracked: the project's own store by default, a server when MLFLOW_TRACKING_URI
names one (the variable MLflow itself reads)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SQLITE = "sqlite:///"
# The embedded default: a SQLite database and an artifact folder in the project (git-ignored).
LOCAL_TRACKING_URI = f"{SQLITE}mlruns/mlflow.db"
EXPERIMENT = "{{ cookiecutter.project_slug }}"
# The registered model every stored version is registered under, and the alias that follows
# the store's "latest".
REGISTERED_MODEL = "{{ cookiecutter.project_slug }}"
CHAMPION = "champion"


class TrackingError(RuntimeError):
    """MLflow could not be reached or refused a write; the message says what to do."""


def tracking_uri() -> str:
    """The tracking store the commands log to."""
    return os.environ.get("MLFLOW_TRACKING_URI") or LOCAL_TRACKING_URI


def sqlite_artifacts(uri: str) -> Path | None:
    """A SQLite store keeps its artifacts in `artifacts/` next to its database (MLflow's own
    default would be `mlruns/` in whatever folder a command runs from)."""
    if not uri.startswith(SQLITE):
        return None
    return Path(uri.removeprefix(SQLITE)).parent / "artifacts"


def use_project_experiment() -> str:
    """Point MLflow at the tracking store and the project's experiment, creating both if needed
    (a SQLite store with its artifacts next to it); returns the experiment's id."""
    import mlflow

    uri = tracking_uri()
    artifacts = sqlite_artifacts(uri)
    if artifacts is not None:
        artifacts.parent.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(uri)
    experiment = mlflow.get_experiment_by_name(EXPERIMENT)
    if experiment is None:
        location = None if artifacts is None else artifacts.resolve().as_uri()
        experiment_id = mlflow.create_experiment(EXPERIMENT, artifact_location=location)
    else:
        experiment_id = experiment.experiment_id
    mlflow.set_experiment(experiment_id=experiment_id)
    return str(experiment_id)


@contextmanager
def reported_as(action: str) -> Iterator[None]:
    """Turn MLflow's failures (a server down, a refused write) into a TrackingError that names
    the action and the tracking store."""
    from mlflow.exceptions import MlflowException

    try:
        yield
    except (MlflowException, OSError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise TrackingError(f"{action} in {tracking_uri()} failed: {reason}") from error
