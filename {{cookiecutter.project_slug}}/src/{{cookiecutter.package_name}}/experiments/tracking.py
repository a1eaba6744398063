"""Where runs are tracked: the project's own store by default, a server when MLFLOW_TRACKING_URI
names one (the variable MLflow itself reads)."""

from __future__ import annotations

import os
from pathlib import Path

# The embedded default: a SQLite database and an artifact folder in the project (git-ignored).
LOCAL_FOLDER = Path("mlruns")
LOCAL_TRACKING_URI = f"sqlite:///{LOCAL_FOLDER.as_posix()}/mlflow.db"
EXPERIMENT = "{{ cookiecutter.project_slug }}"


def tracking_uri() -> str:
    """The tracking store the commands log to."""
    return os.environ.get("MLFLOW_TRACKING_URI") or LOCAL_TRACKING_URI


def use_project_experiment() -> str:
    """Point MLflow at the tracking store and the project's experiment, creating both if needed
    (locally with the artifacts in `mlruns/artifacts`); returns the experiment's id."""
    import mlflow

    uri = tracking_uri()
    local = uri == LOCAL_TRACKING_URI
    if local:
        LOCAL_FOLDER.mkdir(exist_ok=True)
    mlflow.set_tracking_uri(uri)
    experiment = mlflow.get_experiment_by_name(EXPERIMENT)
    if experiment is None:
        artifacts = (LOCAL_FOLDER / "artifacts").resolve().as_uri() if local else None
        experiment_id = mlflow.create_experiment(EXPERIMENT, artifact_location=artifacts)
    else:
        experiment_id = experiment.experiment_id
    mlflow.set_experiment(experiment_id=experiment_id)
    return str(experiment_id)
