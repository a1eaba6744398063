"""Turning texts into routed teams with probabilities."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .scoring import Scorer


class Model(Protocol):
    """What predicts: a fitted scikit-learn Pipeline, or the Scorer made from one."""

    @property
    def classes_(self) -> Any: ...  # the labels, in the order of the probabilities

    def predict_proba(self, texts: list[str], /) -> Any: ...


@dataclass(frozen=True)
class Prediction:
    """The predicted team for one message, with the probability of every team."""

    label: str
    confidence: float
    probabilities: dict[str, float]


def predict(model: Model, texts: Sequence[str]) -> list[Prediction]:
    """Predict the team of each text, in order."""
    if not texts:
        return []
    classes = [str(label) for label in model.classes_]
    predictions = []
    for row in _probabilities(model, list(texts)):
        probabilities = {label: float(p) for label, p in zip(classes, row, strict=True)}
        label = max(probabilities, key=probabilities.__getitem__)
        predictions.append(Prediction(label, probabilities[label], probabilities))
    return predictions


def _probabilities(model: Model, texts: list[str]) -> Any:
    if isinstance(model, Scorer):
        return model.predict_proba(texts)
    # A Pipeline: scikit-learn is loaded already. The texts are validated already; its own
    # checks would double the cost of a small call.
    from sklearn import config_context

    with config_context(assume_finite=True, skip_parameter_validation=True):
        return model.predict_proba(texts)
