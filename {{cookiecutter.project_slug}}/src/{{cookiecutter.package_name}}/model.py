"""The text classifier: TF-IDF over word and character n-grams, and a linear model."""

from collections.abc import Callable

from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from .settings import ModelParams

# Word features are word characters joined by spaces, so this mark keeps the kinds apart.
CHARACTER_MARK = "~"


class WordAndCharacterNgrams:
    """A text's word n-grams, then its character n-grams within word boundaries (marked).

    One analyzer for both kinds lets one vectorizer do the work of two: a prediction makes one
    vectorizer call instead of two and a feature union, which takes a quarter to a half less time
    for the small batches a service sees.
    """

    def __init__(self, word_ngram_max: int, char_ngram_max: int) -> None:
        self.word_ngram_max = word_ngram_max
        self.char_ngram_max = char_ngram_max
        self.words: Callable[[str], list[str]] = CountVectorizer(
            ngram_range=(1, word_ngram_max), strip_accents="unicode"
        ).build_analyzer()
        self.characters: Callable[[str], list[str]] = CountVectorizer(
            analyzer="char_wb", ngram_range=(2, char_ngram_max), strip_accents="unicode"
        ).build_analyzer()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.word_ngram_max}, {self.char_ngram_max})"

    def __call__(self, text: str) -> list[str]:
        return self.words(text) + [CHARACTER_MARK + gram for gram in self.characters(text)]


def build_pipeline(params: ModelParams, seed: int) -> Pipeline:
    """An unfitted pipeline from raw text to per-label probabilities."""
    analyzer = WordAndCharacterNgrams(params.word_ngram_max, params.char_ngram_max)
    features = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=2)
    classifier = LogisticRegression(
        C=params.regularization_c, class_weight="balanced", max_iter=2000, random_state=seed
    )
    return Pipeline([("features", features), ("classifier", classifier)])
