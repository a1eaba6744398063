"""Your own model: any scikit-learn classifier with `predict_proba`, put in
`model.build_pipeline`, trains, is stored, and predicts from the command line; the fast scorer
serves the pipelines it can export, the pipeline itself serves the others; a model the project
cannot serve is refused in one line before anything is stored."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC
from typer.testing import CliRunner

from {{ cookiecutter.package_name }} import training
from {{ cookiecutter.package_name }}.cli import app
from {{ cookiecutter.package_name }}.model import build_pipeline
from {{ cookiecutter.package_name }}.prediction import predict
from {{ cookiecutter.package_name }}.scoring import Scorer
from {{ cookiecutter.package_name }}.settings import ModelParams
from {{ cookiecutter.package_name }}.store import ModelStore

from .own_models import OWN_MODELS, PipelineFactory, with_classifier
from .support import TOPICS, make_settings

runner = CliRunner()


class RenamedLabels(LogisticRegression):  # type: ignore[misc]  # scikit-learn has no types
    """A classifier that learns other labels than it is given."""

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> "RenamedLabels":  # noqa: N803
        super().fit(X, [f"team {label}" for label in y], sample_weight)
        return self


def with_an_anonymous_step(params: ModelParams, seed: int) -> Pipeline:
    """A lower-casing step written as a lambda, which pickle cannot store."""
    lower = FunctionTransformer(lambda texts: [text.lower() for text in texts])
    return Pipeline([("lower", lower), *build_pipeline(params, seed).steps])


REFUSED: dict[str, tuple[PipelineFactory, str]] = {
    "no-predict-proba": (
        with_classifier(LinearSVC()),
        "LinearSVC gives no probabilities (no predict_proba), which every prediction shows: in"
        " model.build_pipeline, wrap it as CalibratedClassifierCV(LinearSVC(...))",
    ),
    "other-labels": (
        with_classifier(RenamedLabels(max_iter=500)),
        "the model predicts the labels ['team account',",
    ),
    "cannot-be-pickled": (with_an_anonymous_step, "the model cannot be stored: pickling it fails"),
}


def flat(output: str) -> str:
    return " ".join(output.split())


@pytest.mark.parametrize("build", OWN_MODELS.values(), ids=OWN_MODELS.keys())
def test_your_own_model_trains_is_stored_and_predicts_from_its_pipeline(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, build: PipelineFactory
) -> None:
    monkeypatch.setattr(training, "build_pipeline", build)

    trained = runner.invoke(app, ["train"])

    assert trained.exit_code == 0, trained.output
    assert "No fast scorer (the model is " in flat(trained.output)
    store = ModelStore(str(workspace / "models"))
    metadata = store.metadata()
    assert metadata.serving == "pipeline"
    assert metadata.scorer_sha256 is None
    assert not (workspace / "models" / "versions" / metadata.version / "scorer.npz").exists()
    assert isinstance(store.load_scorer().model, Pipeline)
    card = (workspace / "docs" / "model_card.md").read_text(encoding="utf-8")
    assert "| Served by | its pipeline (scikit-learn" in card
    predicted = runner.invoke(app, ["predict", "I was charged twice for my order"])
    assert predicted.exit_code == 0, predicted.output
    assert "billing" in predicted.output
    listed = runner.invoke(app, ["versions"])
    assert "pipeline" in listed.output


@pytest.mark.parametrize(("build", "error"), REFUSED.values(), ids=REFUSED.keys())
def test_a_model_the_project_cannot_serve_is_refused_in_one_line_and_nothing_is_stored(
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
    build: Callable[[ModelParams, int], Pipeline],
    error: str,
) -> None:
    monkeypatch.setattr(training, "build_pipeline", build)

    result = runner.invoke(app, ["train"])

    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert error in flat(result.output)
    assert "Traceback" not in result.output
    assert not (workspace / "models").exists()


def test_the_default_model_is_served_by_its_fast_scorer_with_its_pipeline_s_labels(
    tmp_path: Path,
) -> None:
    result = training.train(make_settings(tmp_path))
    store = ModelStore(str(tmp_path / "models"))
    assert result.metadata.serving == store.metadata().serving == "scorer"
    scorer, pipeline = store.load_scorer().model, store.load().pipeline
    assert isinstance(scorer, Scorer)
    texts = [text for topics in TOPICS.values() for text in topics]
    fast = [prediction.label for prediction in predict(scorer, texts)]
    assert fast == [prediction.label for prediction in predict(pipeline, texts)]
