"""Feedback as labelled training data: the texts of the served predictions that got a true label,
in the columns of the project's labelled files, which training reads from `data/labelled/`."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ..data import write_labelled
from ..settings import ENV_PREFIX
from .answers import latest_answers
from .monitor import FEEDBACK, PREDICTIONS
from .sink import LogSink

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

COLUMNS = ["text", "label", "predicted_label", "model_version", "labelled_at"]


class ExportError(Exception):
    """The log holds no feedback that can become training data."""


class Exported(NamedTuple):
    rows: int
    without_text: int  # feedback on predictions logged without their text


def labelled_feedback(sink: LogSink, id_column: str) -> tuple[pd.DataFrame, int]:
    """One row per prediction with feedback (its latest), with the text logged with it; and how
    many had no text (logged while MONITORING_STORE_TEXT was off, or gone with the retention)."""
    import pandas as pd

    latest = latest_answers(sink.read(FEEDBACK))
    if not latest:
        raise ExportError(f"the prediction log {sink.url} holds no feedback yet")
    texts = {
        row["request_id"]: row["text"]
        for row in sink.read(PREDICTIONS)
        if row["request_id"] in latest and "text" in row
    }
    if not texts:
        raise ExportError(
            f"the {len(latest)} predictions with feedback were logged without their text: set"
            f" {ENV_PREFIX}MONITORING_STORE_TEXT=true, so that later feedback can become"
            " training data"
        )
    rows = [
        {
            id_column: request_id,
            "text": texts[request_id],
            "label": row["label"],
            "predicted_label": row["predicted_label"],
            "model_version": row["model_version"],
            "labelled_at": row["time"],
        }
        for request_id, row in sorted(latest.items())
        if request_id in texts
    ]
    return pd.DataFrame(rows, columns=[id_column, *COLUMNS]), len(latest) - len(texts)


def export_feedback(sink: LogSink, target: Path, id_column: str) -> Exported:
    """Write the log's labelled feedback to `target`, validated like the training data, whole:
    the file is the log's view, written anew each time (a crash leaves the previous one)."""
    frame, without_text = labelled_feedback(sink, id_column)
    write_labelled(frame, target)
    return Exported(len(frame), without_text)
