"""The service's side of monitoring: every prediction logged with a signed request id, and the
true labels sent back for those ids logged and scored live."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter

from ..prediction import Prediction
from ..settings import ENV_PREFIX
from ..store import ModelStore, StoredModel
from .ids import RequestIds, Served, local_key
from .live import LiveMetrics
from .log import BufferedLog
from .profile import known_words, unseen_word_share
from .settings import MonitoringSettings
from .shadow import ShadowScorer
from .sink import LogSink, now

PREDICTIONS, FEEDBACK, CHALLENGER = "predictions", "feedback", "challenger"


def signing_key(settings: MonitoringSettings, sink: LogSink) -> bytes:
    """The configured key, else the key file of a local log folder."""
    if settings.signing_key is not None:
        return settings.signing_key.get_secret_value().encode("utf-8")
    if not sink.is_local:
        raise ValueError(
            f"the prediction log {settings.log_url} is not a local folder: set"
            f" {ENV_PREFIX}MONITORING_SIGNING_KEY, the same for every server of the service"
        )
    return local_key(Path(sink.root))


class Monitor:
    """Logs predictions and feedback off the request path, and keeps the live metrics."""

    def __init__(
        self, settings: MonitoringSettings, store: ModelStore, registry: CollectorRegistry
    ) -> None:
        sink = LogSink(settings.log_url)
        self.ids = RequestIds(signing_key(settings, sink))
        self.store_text = settings.store_text
        written = Counter(
            "prediction_log_written_total",
            "Records written to the log.",
            ["kind"],
            registry=registry,
        )
        dropped = Counter(
            "prediction_log_dropped_total",
            "Records not logged: the buffer was full, or the sink failed (the log says why).",
            ["kind", "reason"],
            registry=registry,
        )
        self.logs = {
            kind: BufferedLog(
                sink,
                kind,
                settings.buffer_records,
                settings.flush_interval_seconds,
                written,
                dropped,
            )
            for kind in (PREDICTIONS, FEEDBACK, CHALLENGER)
        }
        self.shadow = (
            ShadowScorer(
                store,
                settings.challenger,
                self.logs[CHALLENGER],
                settings.shadow_queue,
                dropped,
            )
            if settings.challenger
            else None
        )
        self.live = LiveMetrics(settings.live_window, settings.live_minimum, registry)
        self.labels_of = functools.lru_cache(maxsize=32)(
            lambda version: store.metadata(version).labels
        )
        self._known_words: tuple[str, frozenset[str]] = ("", frozenset())

    def start(self) -> None:
        for log in self.logs.values():
            log.start()
        if self.shadow:
            self.shadow.start()

    def close(self) -> None:
        """Score and write what is waiting, and stop."""
        if self.shadow:
            self.shadow.close()
        for log in self.logs.values():
            log.close()

    def served(
        self, model: StoredModel, texts: Sequence[str], predictions: Sequence[Prediction]
    ) -> list[str]:
        """Log predictions of `texts` by `model`; their request ids, in order."""
        time = now()
        model_version = model.metadata.version
        known = self.known_words(model)
        request_ids = []
        for text, prediction in zip(texts, predictions, strict=True):
            request_id = self.ids.issue(model_version, prediction.label)
            record = {
                "request_id": request_id,
                "time": time,
                "model_version": model_version,
                "label": prediction.label,
                "confidence": prediction.confidence,
                "probabilities": prediction.probabilities,
                "text_length": len(text),
                "unseen_word_share": unseen_word_share(text, known),
                "text_hash": self.ids.text_hash(text),
            }
            if self.store_text:
                record["text"] = text
            self.logs[PREDICTIONS].add(record)
            request_ids.append(request_id)
        if self.shadow:
            self.shadow.submit(model_version, request_ids, texts)
        return request_ids

    def known_words(self, model: StoredModel) -> frozenset[str]:
        """The words of the served model, kept until another version is served."""
        version, known = self._known_words
        if version != model.metadata.version:
            known = known_words(model.pipeline)
            self._known_words = (model.metadata.version, known)
        return known

    def feedback(self, served: Served, label: str) -> None:
        """Log the true `label` of a served prediction (checked by the caller)."""
        self.logs[FEEDBACK].add(
            {
                "request_id": served.request_id,
                "time": now(),
                "model_version": served.model_version,
                "predicted_label": served.label,
                "label": label,
            }
        )
        self.live.add(served.label, label)
