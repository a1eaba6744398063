"""The two sides `make monitor` compares: what a version served in a window of days, and the
messages it was trained on (labels, lengths) and held out from (confidence, unseen words)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from ..prediction import predict
from ..settings import Settings
from ..store import ModelMetadata, ModelStore
from ..training import stored_split
from .answers import latest_answers
from .drift import CONFIDENCE, LENGTH, UNSEEN_WORDS, Profile
from .monitor import CHALLENGER, FEEDBACK, PREDICTIONS
from .profile import known_words, unseen_word_share
from .sink import LogSink


class MonitorError(Exception):
    """The report cannot be made: no traffic in the window, or no such version."""


def last_days(days: int, until: date | None = None) -> tuple[date, date]:
    """The first and the last of `days` days that end on `until` (by default, today in UTC)."""
    last = until or datetime.now(UTC).date()
    return last - timedelta(days=days - 1), last


@dataclass(frozen=True)
class Window:
    """The predictions of one version over some days, and the true labels sent back for them."""

    version: str
    since: date
    until: date
    predictions: pd.DataFrame  # one row per prediction, as logged
    served_by_version: dict[str, int]  # predictions of every version in the window
    shadow: pd.DataFrame  # the challenger's predictions of the same requests, as logged
    true_labels: dict[str, str]  # by request id: the latest answer on each prediction

    @property
    def answers(self) -> list[tuple[str, str]]:
        """(predicted, true) for each prediction that got feedback."""
        predicted = dict(
            zip(self.predictions["request_id"], self.predictions["label"], strict=True)
        )
        return [(predicted[request_id], label) for request_id, label in self.true_labels.items()]

    @property
    def profile(self) -> Profile:
        shares = self.predictions.get("unseen_word_share", pd.Series(dtype=float))
        return Profile(
            self.predictions["label"].tolist(),
            {
                CONFIDENCE: self.predictions["confidence"].to_numpy(np.float64),
                LENGTH: self.predictions["text_length"].to_numpy(np.float64),
                UNSEEN_WORDS: shares.dropna().to_numpy(np.float64),
            },
        )


def served_window(sink: LogSink, since: date, until: date, version: str | None) -> Window:
    """What `version` (by default, the version that served most) served from `since` to `until`."""
    predictions = pd.DataFrame(list(sink.read(PREDICTIONS, since, until)))
    if predictions.empty:
        raise MonitorError(
            f"the prediction log {sink.url} holds no prediction from {since} to {until}"
        )
    served_by_version = {
        str(name): int(count) for name, count in predictions["model_version"].value_counts().items()
    }
    version = version or max(sorted(served_by_version), key=served_by_version.__getitem__)
    if version not in served_by_version:
        versions = ", ".join(sorted(served_by_version))
        raise MonitorError(
            f"version {version} served no prediction from {since} to {until}"
            f" (these did: {versions})"
        )
    served = predictions[predictions["model_version"] == version].reset_index(drop=True)
    # The answers on these predictions, also those sent back after the window.
    request_ids = set(served["request_id"])
    latest = latest_answers(
        sink.read(FEEDBACK, since), lambda row: row["request_id"] in request_ids
    )
    shadow = pd.DataFrame(
        [row for row in sink.read(CHALLENGER, since) if row["request_id"] in request_ids]
    )
    return Window(
        version,
        since,
        until,
        served,
        served_by_version,
        shadow,
        {request_id: row["label"] for request_id, row in latest.items()},
    )


def reference_profile(
    settings: Settings, store: ModelStore, version: str
) -> tuple[Profile, ModelMetadata]:
    """The version's training messages (their labels and lengths) and its predictions of the
    messages it was held out from (confidence, unseen words), as the data stands now."""
    model = store.load(version)
    trained_on, held_out = stored_split(settings, store, model.metadata.version)
    texts = held_out["text"].tolist()
    known = known_words(model.pipeline)
    shares = [unseen_word_share(text, known) for text in texts]
    profile = Profile(
        trained_on["label"].tolist(),
        {
            CONFIDENCE: np.array(
                [p.confidence for p in predict(model.pipeline, texts)], np.float64
            ),
            LENGTH: np.asarray(trained_on["text"].str.len(), np.float64),
            UNSEEN_WORDS: np.array([share for share in shares if share is not None], np.float64),
        },
    )
    return profile, model.metadata
