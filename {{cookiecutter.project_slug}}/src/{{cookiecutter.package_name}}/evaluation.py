"""Metrics, report and confusion matrix of a model on held-out data, and the quality gate."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
)
from sklearn.pipeline import Pipeline


@dataclass(frozen=True)
class Evaluation:
    """How a model did on a set of labelled messages."""

    labels: list[str]
    metrics: dict[str, float]
    report: str
    confusion: list[list[int]]

    def passes(self, min_macro_f1: float) -> bool:
        """The quality gate: is macro-F1 at least the threshold?"""
        return self.metrics["macro_f1"] >= min_macro_f1


def evaluate(model: Pipeline, texts: Sequence[str], truth: Sequence[str]) -> Evaluation:
    """Score `model` against the true labels, over the labels the model knows."""
    labels = [str(label) for label in model.classes_]
    predicted = model.predict(list(texts))
    metrics = {
        "accuracy": float(accuracy_score(truth, predicted)),
        "macro_f1": float(f1_score(truth, predicted, labels=labels, average="macro")),
        "weighted_f1": float(f1_score(truth, predicted, labels=labels, average="weighted")),
        "support": float(len(truth)),
    }
    report = classification_report(truth, predicted, labels=labels, zero_division=0)
    matrix = confusion_matrix(truth, predicted, labels=labels)
    return Evaluation(labels, metrics, str(report), matrix.tolist())


def confusion_matrix_png(evaluation: Evaluation) -> bytes:
    """The confusion matrix as a PNG image."""
    figure = Figure(figsize=(7, 6), layout="constrained")
    axes = figure.subplots()
    display = ConfusionMatrixDisplay(
        np.array(evaluation.confusion), display_labels=evaluation.labels
    )
    display.plot(ax=axes, cmap="Blues", colorbar=False)
    axes.set_title(f"Confusion matrix (macro-F1 {evaluation.metrics['macro_f1']:.3f})")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()
