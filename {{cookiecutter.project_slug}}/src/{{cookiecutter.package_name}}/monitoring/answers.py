"""The true labels sent back: a prediction may get several answers, the latest one counts."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .sink import Record


def latest_answers(
    feedback: Iterable[Record], keep: Callable[[Record], bool] = lambda row: True
) -> dict[str, Record]:
    """The latest feedback record for each request id, among those that `keep` accepts."""
    latest: dict[str, Record] = {}
    for row in feedback:
        known = latest.get(row["request_id"])
        if keep(row) and (known is None or row["time"] >= known["time"]):
            latest[row["request_id"]] = row
    return latest
