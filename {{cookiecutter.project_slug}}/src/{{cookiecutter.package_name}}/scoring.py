"""A fitted pipeline's arithmetic in numpy alone, so that a prediction need not import
scikit-learn (with the SciPy and pandas modules it loads, over a second on a laptop).

The pipeline's TF-IDF (sublinear term frequency, IDF, L2 norm) and logistic regression as arrays,
saved as an `.npz` file that holds no pickle. `predict_proba` equals the pipeline's to about 1e-12,
as scikit-learn 1.8 computes it: the logistic of the one decision column for two labels, the
softmax of the decisions for more.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .features import WordAndCharacterNgrams

logger = logging.getLogger(__name__)
Floats = npt.NDArray[np.float64]
# Terms are stored as one text: no term holds a line break (they are words joined by a space, or
# pieces of text between whitespace), and a numpy array of strings would drop trailing NULs.
TERM_SEPARATOR = "\n"
ENCODING = ("utf-8", "surrogatepass")
# The pipelines this arithmetic is the model of: their steps, and their vectorizer's settings.
SHAPE = ("TfidfVectorizer", "LogisticRegression")
VECTORIZER_SETTINGS = {"sublinear_tf": True, "use_idf": True, "norm": "l2", "binary": False}


class Scorer:
    """Per-label probabilities of texts, computed as the fitted pipeline computes them."""

    def __init__(
        self,
        analyzer: WordAndCharacterNgrams,
        terms: Sequence[str],
        idf: Floats,
        coef: Floats,
        intercept: Floats,
        classes: Sequence[str],
    ) -> None:
        self.analyzer = analyzer
        self.terms = list(terms)
        self.columns = {term: column for column, term in enumerate(self.terms)}
        self.idf = idf
        self.coef = coef
        self.intercept = intercept
        self.classes_ = np.array(classes, dtype=str)

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> Scorer:
        """The scorer of a fitted pipeline of a TF-IDF vectorizer and a logistic regression; a
        ValueError that says what differs for a model of another shape."""
        steps = getattr(pipeline, "steps", [])
        kinds = " -> ".join(type(step).__name__ for _, step in steps) or type(pipeline).__name__
        if len(steps) != 2 or [type(step).__name__ for _, step in steps] != list(SHAPE):
            raise ValueError(f"the model is {kinds}, not {' -> '.join(SHAPE)}")
        features, classifier = pipeline[0], pipeline[-1]
        settings = {name: features.get_params()[name] for name in VECTORIZER_SETTINGS}
        if settings != VECTORIZER_SETTINGS or not isinstance(
            features.analyzer, WordAndCharacterNgrams
        ):
            analyzer = "the project's analyzer"
            raise ValueError(f"its TfidfVectorizer is not {VECTORIZER_SETTINGS} with {analyzer}")
        vocabulary: dict[str, int] = features.vocabulary_
        return cls(
            features.analyzer,
            sorted(vocabulary, key=vocabulary.__getitem__),
            features.idf_,
            classifier.coef_,
            classifier.intercept_,
            [str(label) for label in classifier.classes_],
        )

    def decisions(self, text: str) -> Floats:
        """The linear model's decision value(s) for one text."""
        counts: dict[int, int] = {}
        for gram in self.analyzer(text):
            column = self.columns.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
        weights = np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1.0
        weights *= self.idf[columns]
        norm = np.sqrt(np.dot(weights, weights))
        if norm > 0:
            weights /= norm
        decision: Floats = self.coef[:, columns] @ weights + self.intercept
        return decision

    def predict_proba(self, texts: Sequence[str]) -> Floats:
        """One row per text: the probability of each of `classes_`."""
        decisions = np.array([self.decisions(text) for text in texts], dtype=np.float64)
        decisions = decisions.reshape(len(texts), len(self.intercept))
        if len(self.intercept) == 1:
            positive = 0.5 * (1.0 + np.tanh(0.5 * decisions[:, 0]))  # the logistic, no overflow
            probabilities: Floats = np.column_stack([1.0 - positive, positive])
            return probabilities
        exponentials = np.exp(decisions - decisions.max(axis=1, keepdims=True))
        probabilities = exponentials / exponentials.sum(axis=1, keepdims=True)
        return probabilities

    def to_bytes(self) -> bytes:
        """The scorer as an `.npz` file's content (arrays only, no pickle)."""
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            ngram_max=np.array([self.analyzer.word_ngram_max, self.analyzer.char_ngram_max]),
            terms=np.frombuffer(TERM_SEPARATOR.join(self.terms).encode(*ENCODING), np.uint8),
            idf=self.idf,
            coef=self.coef,
            intercept=self.intercept,
            classes=self.classes_,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, content: bytes) -> Scorer:
        """The scorer saved by `to_bytes`; any other content raises an exception."""
        with np.load(io.BytesIO(content), allow_pickle=False) as arrays:
            word_ngram_max, char_ngram_max = (int(n) for n in arrays["ngram_max"])
            return cls(
                WordAndCharacterNgrams(word_ngram_max, char_ngram_max),
                arrays["terms"].tobytes().decode(*ENCODING).split(TERM_SEPARATOR),
                arrays["idf"],
                arrays["coef"],
                arrays["intercept"],
                arrays["classes"].tolist(),
            )


def fast_scorer(pipeline: Any) -> Scorer | None:
    """The scorer of a pipeline of its shape; for any other model, None and one INFO line that
    says why and what serving the pipeline itself costs."""
    try:
        return Scorer.from_pipeline(pipeline)
    except ValueError as reason:
        logger.info(
            "No fast scorer (%s): the model is served from its pipeline, which loads"
            " scikit-learn (about a second more at start-up) and predicts more slowly",
            reason,
        )
        return None
