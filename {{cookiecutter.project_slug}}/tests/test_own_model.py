"""Your own model: any scikit-learn classifier with `predict_proba`, put in
`model.build_pipeline`, trains, is stored, and predicts from the command line; the fast scorer
serves the pipelines it can export, the pipeline itself serves the others."""

from collections.abc import Callable
from pathlib import Path

import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from typer.testing import CliRunner

from {{ cookiecutter.package_name }} import training
from {{ cookiecutter.package_name }}.cli import app
from {{ cookiecutter.package_name }}.model import build_pipeline
from {{ cookiecutter.package_name }}.prediction import predict
from {{ cookiecutter.package_name }}.scoring import Scorer
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, ModelParams
from {{ cookiecutter.package_name }}.store import ModelStore

from .support import TOPICS, make_settings

runner = CliRunner()
PipelineFactory = Callable[[ModelParams, int], Pipeline]


def with_classifier(classifier: object) -> PipelineFactory:
    """build_pipeline with its classifier swapped, as a user's two-line edit does."""

    def build(params: ModelParams, seed: int) -> Pipeline:
        return build_pipeline(params, seed).set_params(classifier=classifier)

    return build


def with_a_reduction_step(params: ModelParams, seed: int) -> Pipeline:
    """build_pipeline with a step the project does not know between its two."""
    default = build_pipeline(params, seed)
    return Pipeline(
        [
            ("features", default[0]),
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


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory whose settings come from the environment, as in production."""
    settings = make_settings(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(f"{ENV_PREFIX}TRAINING_DATA", f'["{settings.training_data[0]}"]')
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", settings.model_store)
    monkeypatch.setenv(f"{ENV_PREFIX}REPORTS_DIR", str(settings.reports_dir))
    monkeypatch.setenv(f"{ENV_PREFIX}DOCS_DIR", str(settings.docs_dir))
    return tmp_path


@pytest.mark.parametrize("build", OWN_MODELS.values(), ids=OWN_MODELS.keys())
def test_your_own_model_trains_is_stored_and_predicts_from_its_pipeline(
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
    build: PipelineFactory,
) -> None:
    monkeypatch.setattr(training, "build_pipeline", build)

    trained = runner.invoke(app, ["train"])

    assert trained.exit_code == 0, trained.output
    assert "No fast scorer (the model is " in " ".join(trained.output.split())
    store = ModelStore(str(workspace / "models"))
    metadata = store.metadata()
    assert metadata.serving == "pipeline"
    assert metadata.scorer_sha256 is None
    assert not (workspace / "models" / "versions" / metadata.version / "scorer.npz").exists()
    served = store.load_scorer()
    assert isinstance(served.model, Pipeline)
    predicted = runner.invoke(app, ["predict", "I was charged twice for my order"])
    assert predicted.exit_code == 0, predicted.output
    assert "billing" in predicted.output


def test_the_default_model_is_served_by_its_fast_scorer_with_its_pipeline_s_labels(
    tmp_path: Path,
) -> None:
    result = training.train(make_settings(tmp_path))
    store = ModelStore(str(tmp_path / "models"))
    assert store.metadata().serving == "scorer"
    scorer, pipeline = store.load_scorer().model, store.load().pipeline
    assert isinstance(scorer, Scorer)
    texts = [text for topics in TOPICS.values() for text in topics]
    fast = [prediction.label for prediction in predict(scorer, texts)]
    assert fast == [prediction.label for prediction in predict(pipeline, texts)]
    assert result.metadata.serving == "scorer"
