"""The training run: data -> validation -> model -> evaluation -> gate -> versioned store."""

from __future__ import annotations

import json
import platform
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from . import DISTRIBUTION
from .data import (
    DataValidationError,
    expand,
    fingerprint,
    load_training_data,
    row_ids,
    split,
)
from .docs import update_docs
from .evaluation import Evaluation, confusion_matrix_png, evaluate
{%- if cookiecutter.use_mlflow %}
from .experiments.handoff import InProcessRunLogger, RunLogger
from .experiments.registry import follow_the_store
from .experiments.runs import INPUT_EXAMPLES
{%- endif %}
from .model import build_pipeline
from .model_checks import check_after_training, check_before_training
{%- if cookiecutter.use_dask %}
from .scale.parallel import cross_validated_macro_f1
{%- endif %}
from .settings import Settings
from .store import (
    CodeVersion,
    DataProvenance,
    ModelMetadata,
    ModelStore,
    new_version,
)

TRACKED_LIBRARIES = ("scikit-learn", "pandas", "numpy", "joblib")
TRAIN_IDS_FILE, TEST_IDS_FILE = "train_ids.json", "test_ids.json"
STEPS = (
    "Loading and validating data",
    "Fitting the model",
    "Evaluating",
    "Storing the version",
)


@dataclass(frozen=True)
class TrainingResult:
    """A stored model version and whether it was promoted (which needs the quality gate)."""

    metadata: ModelMetadata
    evaluation: Evaluation
    promoted: bool


def _installed(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def code_version() -> CodeVersion:
    """The package version and, inside a git checkout, the current commit."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
        commit = result.stdout.strip() if result.returncode == 0 else None
    except OSError:
        commit = None
    return CodeVersion(package_version=_installed(DISTRIBUTION), git_commit=commit)


def report_artifacts(evaluation: Evaluation) -> dict[str, bytes]:
    """The files that document an evaluation."""
    return {
        "metrics.json": json.dumps(evaluation.metrics, indent=2).encode("utf-8"),
        "classification_report.txt": evaluation.report.encode("utf-8"),
        "confusion_matrix.png": confusion_matrix_png(evaluation),
    }


def write_reports(reports_dir: Path, artifacts: dict[str, bytes]) -> None:
    """Copy the evaluation files to the reports folder for people to look at."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    for name, content in artifacts.items():
        (reports_dir / name).write_bytes(content)


{% if cookiecutter.use_mlflow -%}
def train(
    settings: Settings,
    on_step: Callable[[str], None] = lambda step: None,
    run_logger: RunLogger | None = None,
    promote: bool = True,
) -> TrainingResult:
    """Train, evaluate and store a new version; promote it to "latest" if it passes the gate
    (and `promote` is on). With tracking on, `run_logger` (an MLflow process of its own,
    started early as the command line does) or else this process writes to MLflow."""
    on_step(STEPS[0])
    tracker = (run_logger or InProcessRunLogger()) if settings.track_experiments else None
{%- else -%}
def train(
    settings: Settings, on_step: Callable[[str], None] = lambda step: None, promote: bool = True
) -> TrainingResult:
    """Train, evaluate and store a new version; promote it to "latest" if it passes the gate
    (and `promote` is on)."""
    on_step(STEPS[0])
{%- endif %}
    frame = load_training_data(settings.training_data, settings.id_column)
    train_frame, test_frame = split(frame, settings.test_size, settings.random_seed)

    on_step(STEPS[1])
    pipeline = build_pipeline(settings.params, settings.random_seed)
    check_before_training(pipeline)
    pipeline.fit(train_frame["text"].tolist(), train_frame["label"].tolist())
    check_after_training(pipeline, train_frame["label"])

    on_step(STEPS[2])
    evaluation = evaluate(pipeline, test_frame["text"].tolist(), test_frame["label"].tolist())
{%- if cookiecutter.use_dask %}
    if settings.cv_folds:
        evaluation.metrics["cv_macro_f1"] = cross_validated_macro_f1(
            settings.params,
            settings.random_seed,
            train_frame["text"].tolist(),
            train_frame["label"].tolist(),
            settings.cv_folds,
        )
{%- endif %}

    on_step(STEPS[3])
    now = datetime.now(UTC)
    metadata = ModelMetadata(
        version=new_version(now),
        trained_at=now,
        labels=evaluation.labels,
        metrics=evaluation.metrics,
        params={**settings.params.model_dump(), "test_size": settings.test_size},
        data=DataProvenance(
            sha256=fingerprint(frame),
            rows=len(frame),
            files=[str(path) for path in expand(settings.training_data)],
        ),
        code=code_version(),
        libraries={"python": platform.python_version()}
        | {name: _installed(name) for name in TRACKED_LIBRARIES},
    )
    artifacts = report_artifacts(evaluation)
    passed = evaluation.passes(settings.min_macro_f1)
{%- if cookiecutter.use_mlflow %}
    if tracker is not None:
        # Tracked before it is stored, so the stored metadata names its run and registry version.
        tracked = tracker.log(
            pipeline,
            metadata,
            params=settings.model_dump(mode="json"),
            artifacts=artifacts,
            examples=test_frame["text"].head(INPUT_EXAMPLES).tolist(),
            gate_passed=passed,
            data=frame,
        )
        metadata = metadata.model_copy(
            update={"mlflow_run_id": tracked.run_id, "mlflow_model_version": tracked.model_version}
        )
{%- endif %}
    split_ids = {
        TRAIN_IDS_FILE: _ids_file(train_frame, settings.id_column),
        TEST_IDS_FILE: _ids_file(test_frame, settings.id_column),
    }
    store = ModelStore(settings.model_store)
    metadata = store.save(pipeline, metadata, artifacts | split_ids)
    write_reports(settings.reports_dir, artifacts)

    promoted = passed and promote
    if promoted:
        store.promote(metadata.version)
        update_docs(settings.docs_dir, metadata, frame)
{%- if cookiecutter.use_mlflow %}
        if tracker is not None:
            follow_the_store(metadata, tracker.set_champion)  # last: serving reads the store
{%- endif %}
    return TrainingResult(metadata, evaluation, promoted)


def _ids_file(frame: pd.DataFrame, id_column: str | None) -> bytes:
    return json.dumps(row_ids(frame, id_column).tolist()).encode("utf-8")


def stored_split(
    settings: Settings, store: ModelStore, version: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The messages a stored version was trained on and held out from, as they stand in the
    data now: rows removed since are missing, rows added since are in neither."""
    frame = load_training_data(settings.training_data, settings.id_column)
    ids = row_ids(frame, settings.id_column)
    test_ids = set(json.loads(store.artifact(version, TEST_IDS_FILE)))
    is_held_out = ids.isin(test_ids)
    if not is_held_out.any():
        raise DataValidationError(
            [f"none of the held-out messages of version {version} are in the data"]
        )
    try:
        is_trained_on = ids.isin(set(json.loads(store.artifact(version, TRAIN_IDS_FILE))))
    except FileNotFoundError:  # a version stored before its training ids were: the rest
        is_trained_on = ~is_held_out
    return frame[is_trained_on], frame[is_held_out]


def evaluate_stored(settings: Settings, version_or_alias: str) -> tuple[ModelMetadata, Evaluation]:
    """Re-evaluate a stored version on its own held-out messages as they stand in the data now."""
    store = ModelStore(settings.model_store)
    pipeline, metadata = store.load(version_or_alias)
    _, held_out = stored_split(settings, store, metadata.version)
    evaluation = evaluate(pipeline, held_out["text"].tolist(), held_out["label"].tolist())
    write_reports(settings.reports_dir, report_artifacts(evaluation))
    return metadata, evaluation
