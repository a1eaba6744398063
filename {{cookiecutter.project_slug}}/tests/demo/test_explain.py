"""The words that pushed a message towards its team."""

from pathlib import Path

from {{ cookiecutter.package_name }}.demo.explain import words_for
from {{ cookiecutter.package_name }}.model import CHARACTER_MARK
from {{ cookiecutter.package_name }}.prediction import predict
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.store import ModelStore
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..own_models import OWN_MODELS
from ..support import make_settings


def test_the_words_that_count_for_the_label_come_first(
    trained: tuple[Settings, TrainingResult],
) -> None:
    settings, _ = trained
    pipeline = ModelStore(settings.model_store).load().pipeline
    text = "I was charged twice, please refund my card"
    [prediction] = predict(pipeline, [text])
    weights = words_for(pipeline, text, prediction.label)
    assert prediction.label == "billing"
    assert weights, "no word counted for the label"
    assert [entry.weight for entry in weights] == sorted(
        (entry.weight for entry in weights), reverse=True
    )
    assert all(entry.weight > 0 for entry in weights)
    assert {"charged", "refund"} & {entry.word for entry in weights}
    assert not [entry for entry in weights if entry.word.startswith(CHARACTER_MARK)]


def test_no_words_for_a_message_of_unknown_words(trained: tuple[Settings, TrainingResult]) -> None:
    settings, _ = trained
    pipeline = ModelStore(settings.model_store).load().pipeline
    assert words_for(pipeline, "zzqx vvbn", "billing") == []


def test_a_model_without_a_weight_per_word_has_no_explanation(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    pipeline = OWN_MODELS["naive-bayes"](settings.params, 0)
    pipeline.fit(["parcel late", "charged twice", "parcel lost", "charged again"], list("sbsb"))
    assert words_for(pipeline, "parcel late", "s") is None
