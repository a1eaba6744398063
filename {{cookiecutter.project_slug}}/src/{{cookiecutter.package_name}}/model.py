"""The text classifier: word and character TF-IDF features and a linear model."""

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from .settings import ModelParams


def build_pipeline(params: ModelParams, seed: int) -> Pipeline:
    """An unfitted pipeline from raw text to per-label probabilities."""
    words = TfidfVectorizer(
        ngram_range=(1, params.word_ngram_max), sublinear_tf=True, strip_accents="unicode"
    )
    characters = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, params.char_ngram_max),
        sublinear_tf=True,
        strip_accents="unicode",
        min_df=2,
    )
    classifier = LogisticRegression(
        C=params.regularization_c, class_weight="balanced", max_iter=2000, random_state=seed
    )
    return Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("characters", characters)])),
            ("classifier", classifier),
        ]
    )
