from {{ cookiecutter.package_name }}.monitoring.profile import known_words, unseen_word_share
from {{ cookiecutter.package_name }}.store import StoredModel


def test_known_words_are_the_words_of_the_training_vocabulary(model: StoredModel) -> None:
    known = known_words(model.pipeline)
    assert {"parcel", "charged", "app"} <= known
    assert all(" " not in word and not word.startswith("~") for word in known)
    assert "zorblax" not in known


def test_the_unseen_share_counts_words_the_model_has_no_feature_for(model: StoredModel) -> None:
    known = known_words(model.pipeline)
    assert unseen_word_share("my parcel", known) == 0.0
    assert unseen_word_share("My PARCEL zorblax quuxified", known) == 0.5
    assert unseen_word_share("zorblax", known) == 1.0
    assert unseen_word_share("!!! ? :-)", known) is None
