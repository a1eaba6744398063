import pytest

from {{ cookiecutter.package_name }}.model import (
    CHARACTER_MARK,
    WordAndCharacterNgrams,
    build_pipeline,
)
from {{ cookiecutter.package_name }}.prediction import predict
from {{ cookiecutter.package_name }}.settings import ModelParams, Settings
from {{ cookiecutter.package_name }}.store import ModelStore
from {{ cookiecutter.package_name }}.training import TrainingResult

TEXTS = [
    "I was charged twice for my order",
    "my invoice shows the wrong amount",
    "the parcel has not arrived yet",
    "tracking says delivered but nothing here",
    "how do I reset my password",
    "cannot log in to my account",
]
LABELS = ["billing", "billing", "shipping", "shipping", "account", "account"]


def test_features_are_word_ngrams_then_marked_character_ngrams() -> None:
    analyze = WordAndCharacterNgrams(word_ngram_max=2, char_ngram_max=3)
    grams = analyze("Où est")
    words = ["ou", "est", "ou est"]
    characters = [" o", "ou", "u ", " ou", "ou ", " e", "es", "st", "t ", " es", "est", "st "]
    assert grams == words + [CHARACTER_MARK + gram for gram in characters]
    assert repr(analyze) == "WordAndCharacterNgrams(2, 3)"


def test_pipeline_learns_a_tiny_dataset() -> None:
    pipeline = build_pipeline(ModelParams(char_ngram_max=4), seed=0).fit(TEXTS, LABELS)
    assert list(pipeline.predict(TEXTS)) == LABELS


def test_predictions_are_probabilities_over_every_label(
    trained: tuple[Settings, TrainingResult],
) -> None:
    settings, _ = trained
    model = ModelStore(settings.model_store).load()
    [refund, parcel] = predict(
        model.pipeline, ["Please refund the double charge on my card", "Where is my parcel?"]
    )
    assert refund.label == "billing"
    assert parcel.label == "shipping"
    for prediction in (refund, parcel):
        assert sum(prediction.probabilities.values()) == pytest.approx(1.0)
        assert prediction.confidence == max(prediction.probabilities.values())
        assert set(prediction.probabilities) == set(model.metadata.labels)


def test_no_texts_give_no_predictions(trained: tuple[Settings, TrainingResult]) -> None:
    settings, _ = trained
    assert predict(ModelStore(settings.model_store).load().pipeline, []) == []
