"""Turning texts into routed teams with probabilities."""

from collections.abc import Sequence
from dataclasses import dataclass

from sklearn import config_context
from sklearn.pipeline import Pipeline


@dataclass(frozen=True)
class Prediction:
    """The predicted team for one message, with the probability of every team."""

    label: str
    confidence: float
    probabilities: dict[str, float]


def predict(model: Pipeline, texts: Sequence[str]) -> list[Prediction]:
    """Predict the team of each text, in order."""
    if not texts:
        return []
    classes = [str(label) for label in model.classes_]
    predictions = []
    # The texts are validated already; sklearn's own checks would double the cost of a small call.
    with config_context(assume_finite=True, skip_parameter_validation=True):
        rows = model.predict_proba(list(texts))
    for row in rows:
        probabilities = {label: float(p) for label, p in zip(classes, row, strict=True)}
        label = max(probabilities, key=probabilities.__getitem__)
        predictions.append(Prediction(label, probabilities[label], probabilities))
    return predictions
