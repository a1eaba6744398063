"""Shadow scoring: the challenger predicts what the served model answered, in a thread of its
own, after the answer has gone; its predictions are logged, never returned."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence

from prometheus_client import Counter

from ..prediction import predict
from ..store import ModelStore, StoredModel
from .log import BufferedLog
from .sink import now

logger = logging.getLogger(__name__)
STOP = None


class ShadowScorer:
    """Scores the served texts with the challenger (a version or alias of the store, loaded by
    its own thread once) and logs its predictions by request id; when `capacity` requests wait,
    new ones are dropped and counted, never the request."""

    def __init__(
        self,
        store: ModelStore,
        challenger: str,
        log: BufferedLog,
        capacity: int,
        dropped: Counter,
    ) -> None:
        self.store, self.challenger, self.log = store, challenger, log
        self._dropped_full = dropped.labels(log.kind, "shadow queue full")
        self._dropped_failed = dropped.labels(log.kind, "challenger failed")
        self._waiting: queue.Queue[tuple[str, list[str], list[str]] | None] = queue.Queue(capacity)
        self._thread = threading.Thread(target=self._run, name="shadow-scoring", daemon=True)
        self._failed = False

    def submit(self, served_version: str, request_ids: Sequence[str], texts: Sequence[str]) -> None:
        """Have the challenger score `texts`, later; never waits."""
        try:
            self._waiting.put_nowait((served_version, list(request_ids), list(texts)))
        except queue.Full:
            self._dropped_full.inc(len(texts))

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        """Score what is waiting, then stop the thread."""
        if self._thread.is_alive():
            self._waiting.put(STOP)
            self._thread.join()

    def _run(self) -> None:
        model: StoredModel | None = None
        while (batch := self._waiting.get()) is not STOP:
            served_version, request_ids, texts = batch
            try:
                model = model or self.store.load(self.challenger)
                if model.metadata.version == served_version:
                    continue  # the challenger is being served: nothing to compare
                predictions = predict(model.pipeline, texts)
            except Exception:
                if not self._failed:  # once: it fails the same way for every request
                    logger.exception("The challenger %s could not score", self.challenger)
                self._failed = True
                self._dropped_failed.inc(len(texts))
                continue
            time = now()
            for request_id, prediction in zip(request_ids, predictions, strict=True):
                self.log.add(
                    {
                        "request_id": request_id,
                        "time": time,
                        "model_version": model.metadata.version,
                        "label": prediction.label,
                        "confidence": prediction.confidence,
                        "probabilities": prediction.probabilities,
                    }
                )
