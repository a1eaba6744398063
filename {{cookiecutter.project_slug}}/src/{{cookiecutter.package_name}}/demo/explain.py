"""Why the model chose a label: the words whose weights pushed the message towards it."""

from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline

from ..model import CHARACTER_MARK


@dataclass(frozen=True)
class WordWeight:
    """A word (or word n-gram) of the message and how much it counted for the label."""

    word: str
    weight: float


def words_for(pipeline: Pipeline, text: str, label: str, top: int = 8) -> list[WordWeight] | None:
    """The words of `text` that counted most for `label`: TF-IDF value times class weight; None
    for a model with no weight per word (only a TF-IDF vectorizer followed by a linear
    classifier has one).

    Only the word features are explained; the character n-grams also count but name no word.
    """
    steps = [step for _, step in pipeline.steps]
    linear = len(steps) == 2 and hasattr(steps[1], "coef_")
    if not linear or not isinstance(steps[0], TfidfVectorizer):
        return None
    features, classifier = steps
    weights = classifier.coef_
    row = [str(name) for name in classifier.classes_].index(label)
    if weights.shape[0] == 1:  # two labels: one row of weights, for the second label
        class_weights = weights[0] if row == 1 else -weights[0]
    else:
        class_weights = weights[row]
    values = features.transform([text]).tocoo()
    names = features.get_feature_names_out()
    counted = [
        WordWeight(str(names[column]), float(value * class_weights[column]))
        for column, value in zip(values.col, values.data, strict=True)
        if not names[column].startswith(CHARACTER_MARK)
    ]
    positive = [entry for entry in counted if entry.weight > 0]
    return sorted(positive, key=lambda entry: entry.weight, reverse=True)[:top]
