"""The scorer, numpy alone, gives the probabilities of the pipeline it was made from."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.model import build_pipeline
from {{ cookiecutter.package_name }}.scoring import Scorer
from {{ cookiecutter.package_name }}.settings import ModelParams

from .support import TOPICS

# Words of the training texts, so that most texts have known terms, and any text at all.
WORDS = sorted({word for texts in TOPICS.values() for text in texts for word in text.split()})
TEXTS = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join) | st.text(max_size=40)
# A term with a NUL inside, which a numpy array of strings would cut, is in every vocabulary.
NUL_TEXT = "tracking code x\x00"


def fitted(labels: list[str]) -> Pipeline:
    """A pipeline fitted on the test data of `labels`."""
    texts = [text for label in labels for text in TOPICS[label]] + [NUL_TEXT, NUL_TEXT]
    targets = [label for label in labels for _ in TOPICS[label]] + [labels[0], labels[0]]
    return build_pipeline(ModelParams(), seed=0).fit(texts, targets)


MODELS = {"multi-class": fitted(sorted(TOPICS)), "two labels": fitted(["billing", "shipping"])}
# Each as saved and loaded again.
SCORERS = {
    kind: Scorer.from_bytes(Scorer.from_pipeline(pipeline).to_bytes())
    for kind, pipeline in MODELS.items()
}


@pytest.mark.parametrize("kind", MODELS)
@settings(max_examples=50, deadline=None)
@given(texts=st.lists(TEXTS, min_size=1, max_size=4))
def test_probabilities_are_the_pipelines(kind: str, texts: list[str]) -> None:
    pipeline, scorer = MODELS[kind], SCORERS[kind]
    assert list(scorer.classes_) == list(pipeline.classes_)
    expected = pipeline.predict_proba(texts)
    np.testing.assert_allclose(scorer.predict_proba(texts), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("kind", MODELS)
def test_a_text_with_no_known_term_gets_the_intercepts_probabilities(kind: str) -> None:
    pipeline, scorer = MODELS[kind], SCORERS[kind]
    texts = ["", "?!", "zzqx"]
    assert not pipeline[0].transform(texts).nnz  # no known term indeed
    probabilities = scorer.predict_proba(texts)
    np.testing.assert_allclose(probabilities, pipeline.predict_proba(texts), rtol=0, atol=1e-12)
    assert (probabilities == probabilities[0]).all()


def test_a_saved_scorer_keeps_every_term() -> None:
    scorer = Scorer.from_pipeline(MODELS["two labels"])
    assert any("\x00" in term for term in scorer.terms)
    assert Scorer.from_bytes(scorer.to_bytes()).terms == scorer.terms


@pytest.mark.parametrize(
    "change",
    [{"features__sublinear_tf": False}, {"classifier": SGDClassifier(loss="log_loss")}],
)
def test_a_pipeline_it_cannot_mimic_is_refused(change: dict[str, object]) -> None:
    other = build_pipeline(ModelParams(), seed=0).set_params(**change)
    other.fit(TOPICS["billing"] + TOPICS["shipping"], ["billing"] * 6 + ["shipping"] * 6)
    with pytest.raises(ValueError, match=r"^(the model is|its TfidfVectorizer is not)"):
        Scorer.from_pipeline(other)
