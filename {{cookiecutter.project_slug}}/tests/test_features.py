"""The analyzer, written without scikit-learn, gives exactly the n-grams of scikit-learn's
analyzers, which stored models were fitted with."""

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from {{ cookiecutter.package_name }}.features import CHARACTER_MARK, WordAndCharacterNgrams

# Letters with and without accents, ligatures, digits, every kind of whitespace, punctuation,
# then any character at all.
AWKWARD = "aZéÉİßǅﬁ٣_1 \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\u0301.,!'-~"
TEXTS = st.text(st.sampled_from(AWKWARD), max_size=30) | st.text(max_size=30)


def scikit_learn_analyzer(word_ngram_max: int, char_ngram_max: int) -> Callable[[str], list[str]]:
    """The analysis as scikit-learn does it, as the model did before it had its own."""
    words = CountVectorizer(
        ngram_range=(1, word_ngram_max), strip_accents="unicode"
    ).build_analyzer()
    characters = CountVectorizer(
        analyzer="char_wb", ngram_range=(2, char_ngram_max), strip_accents="unicode"
    ).build_analyzer()
    return lambda text: words(text) + [CHARACTER_MARK + gram for gram in characters(text)]


@pytest.mark.parametrize(("word_ngram_max", "char_ngram_max"), [(1, 2), (2, 5), (3, 6)])
@settings(max_examples=50, deadline=None)
@given(text=TEXTS)
def test_the_ngrams_are_those_of_scikit_learn(
    word_ngram_max: int, char_ngram_max: int, text: str
) -> None:
    expected = scikit_learn_analyzer(word_ngram_max, char_ngram_max)(text)
    assert WordAndCharacterNgrams(word_ngram_max, char_ngram_max)(text) == expected


def test_accents_case_and_whitespace_are_normalised() -> None:
    analyze = WordAndCharacterNgrams(word_ngram_max=2, char_ngram_max=6)
    assert analyze("ÉTÉ\u00a0\t  Öl") == analyze("ete ol")
    # A word needs two word characters; a short one gives its padded self once, not once per n.
    assert analyze("a") == [CHARACTER_MARK + gram for gram in (" a", "a ", " a ")]
