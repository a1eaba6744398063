"""Accuracy and macro-F1 of the served predictions over the latest feedback, as gauges."""

from __future__ import annotations

import threading
from collections import deque

from prometheus_client import CollectorRegistry, Gauge
from sklearn.metrics import accuracy_score, f1_score


class LiveMetrics:
    """The latest `window` (predicted, true) pairs; the gauges appear once `minimum` are in.

    With several workers, each computes them on the feedback it received (a random share of
    it) and `/metrics` shows the most recent value.
    """

    def __init__(self, window: int, minimum: int, registry: CollectorRegistry) -> None:
        self.minimum = minimum
        self._pairs: deque[tuple[str, str]] = deque(maxlen=window)
        self._lock = threading.Lock()
        self.accuracy = Gauge(
            "live_accuracy",
            "Accuracy of the served predictions over the latest feedback (window: how many).",
            ["window"],
            multiprocess_mode="livemostrecent",
            registry=registry,
        )
        self.macro_f1 = Gauge(
            "live_macro_f1",
            "Macro-F1 of the served predictions over the latest feedback (window: how many).",
            ["window"],
            multiprocess_mode="livemostrecent",
            registry=registry,
        )

    def add(self, predicted: str, true: str) -> None:
        with self._lock:
            self._pairs.append((predicted, true))
            if len(self._pairs) < self.minimum:
                return
            predicted_labels, true_labels = zip(*self._pairs, strict=True)
        window = str(self._pairs.maxlen)
        self.accuracy.labels(window).set(float(accuracy_score(true_labels, predicted_labels)))
        macro_f1 = f1_score(true_labels, predicted_labels, average="macro", zero_division=0)
        self.macro_f1.labels(window).set(float(macro_f1))
