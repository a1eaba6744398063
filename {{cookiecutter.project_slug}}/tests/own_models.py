"""Models a user may put in `model.build_pipeline` in place of the default: other classifiers,
and a step the project does not know."""

from collections.abc import Callable

from sklearn.calibration import CalibratedClassifierCV
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from {{ cookiecutter.package_name }}.model import build_pipeline
from {{ cookiecutter.package_name }}.settings import ModelParams

PipelineFactory = Callable[[ModelParams, int], Pipeline]


def with_classifier(classifier: object) -> PipelineFactory:
    """build_pipeline with its classifier swapped, as a user's two-line edit does."""

    def build(params: ModelParams, seed: int) -> Pipeline:
        return build_pipeline(params, seed).set_params(classifier=classifier)

    return build


def with_a_reduction_step(params: ModelParams, seed: int) -> Pipeline:
    """build_pipeline with a step the project does not know between its two."""
    return Pipeline(
        [
            ("features", build_pipeline(params, seed)[0]),
            ("reduce", TruncatedSVD(n_components=40, random_state=seed)),
            ("classifier", LogisticRegression(max_iter=2000, random_state=seed)),
        ]
    )


OWN_MODELS: dict[str, PipelineFactory] = {
    "naive-bayes": with_classifier(ComplementNB(alpha=0.3)),
    "sgd-log-loss": with_classifier(SGDClassifier(loss="log_loss", random_state=0)),
    "calibrated-linear-svc": with_classifier(CalibratedClassifierCV(LinearSVC(), cv=3)),
    "random-forest": with_classifier(RandomForestClassifier(n_estimators=60, random_state=0)),
    "truncated-svd-step": with_a_reduction_step,
}
