"""The messages the API served that got no true label, as a pool to push to Label Studio: their
texts come from the prediction log (the monitoring component), which holds them only when
MONITORING_STORE_TEXT is on."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..monitoring.answers import latest_answers
from ..monitoring.monitor import FEEDBACK, PREDICTIONS
from ..monitoring.sink import LogSink

REQUEST_ID = "request_id"


def served_without_feedback(sink: LogSink, since: date, id_column: str) -> tuple[pd.DataFrame, int]:
    """The texts served since `since` without feedback, by request id (in `id_column`); and how
    many of those were logged without their text."""
    answered = set(latest_answers(sink.read(FEEDBACK, since)))
    waiting = [row for row in sink.read(PREDICTIONS, since) if row["request_id"] not in answered]
    with_text = [row for row in waiting if row.get("text")]
    pool = pd.DataFrame(
        {
            id_column: [row["request_id"] for row in with_text],
            "text": [row["text"] for row in with_text],
        }
    )
    return pool, len(waiting) - len(with_text)
