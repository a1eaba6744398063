"""The text classifier: TF-IDF over word and character n-grams, and a linear model."""

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

# Stored models pickled before features.py existed name `model.WordAndCharacterNgrams`.
from .features import CHARACTER_MARK, WordAndCharacterNgrams
from .settings import ModelParams

__all__ = ["CHARACTER_MARK", "WordAndCharacterNgrams", "build_pipeline"]


def build_pipeline(params: ModelParams, seed: int) -> Pipeline:
    """An unfitted pipeline from raw text to per-label probabilities."""
    analyzer = WordAndCharacterNgrams(params.word_ngram_max, params.char_ngram_max)
    features = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=2)
    classifier = LogisticRegression(
        C=params.regularization_c, class_weight="balanced", max_iter=2000, random_state=seed
    )
    return Pipeline([("features", features), ("classifier", classifier)])
