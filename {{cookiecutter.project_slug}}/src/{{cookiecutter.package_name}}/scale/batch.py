"""Scoring parts on the workers: each worker loads the model once, then reads, scores and writes
one part per task, so that only part names and the model's version travel with the tasks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import fsspec

from ..prediction import predict
from ..spreadsheets import spreadsheet_csv
from ..store import ModelStore
from ..uploads import INPUT_SUFFIX, TEXT_COLUMN, with_predictions
from .inputs import InputError, Part, read_part
from .outputs import RUNNING

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Client

    from ..prediction import Model

VERSION_COLUMN = "model_version"
_models: dict[tuple[str, str], Model] = {}
_loading = threading.Lock()


@dataclass(frozen=True)
class Job:
    """What every task of a run shares: the store, the resolved version, where and how to write."""

    store: str
    version: str
    staging: str
    format: str


def worker_model(store: str, version: str) -> Model:
    """What predicts for a version (its scorer, or its pipeline where it has none), loaded once
    per worker process and kept for its next tasks."""
    with _loading:
        if (store, version) not in _models:
            _models[store, version] = ModelStore(store).load_scorer(version).model
        return _models[store, version]


def scored(frame: pd.DataFrame, model: Model, version: str) -> pd.DataFrame:
    """`frame` with `label`, `confidence` (as `predict --input` gives them) and `model_version`
    after its own columns (one named like them is kept with the suffix `_input`)."""
    if VERSION_COLUMN in frame.columns:
        frame = frame.rename(columns={VERSION_COLUMN: VERSION_COLUMN + INPUT_SUFFIX})
    predictions = predict(model, frame[TEXT_COLUMN].astype(str).tolist())
    return with_predictions(frame, predictions).assign(**{VERSION_COLUMN: version})


def score_part(part: Part, job: Job) -> int | str:
    """Read, score and write one part (a task); the number of rows written, or why the part
    cannot be read (returned, not raised: a worker logs a raised error with its traceback)."""
    try:
        frame = read_part(part)
    except InputError as error:
        return str(error)
    frame = scored(frame, worker_model(job.store, job.version), job.version)
    fs, staging = fsspec.core.url_to_fs(job.staging)
    if not fs.exists(f"{staging}/{RUNNING}"):
        return 0  # the run has stopped: its temporary folder is gone or going
    with fs.open(f"{staging}/part-{part.index:06d}.{job.format}", "wb") as stream:
        if job.format == "csv":
            stream.write(spreadsheet_csv(frame).encode("utf-8"))
        else:
            frame.to_parquet(stream, index=False)
    return len(frame)


def score_parts(
    client: Client, parts: list[Part], job: Job, on_part: Callable[[], None] = lambda: None
) -> int:
    """Score every part on the cluster, calling `on_part` as each is done; the rows scored.
    The first failure (an InputError for a bad part) stops the run: the parts not done yet are
    cancelled."""
    from distributed import as_completed

    futures = client.map(score_part, parts, job=job, pure=False)
    rows = 0
    try:
        for future in as_completed(futures):
            result = future.result()
            if isinstance(result, str):
                raise InputError(result)
            rows += result
            on_part()
    finally:
        client.cancel(futures)
    return rows
