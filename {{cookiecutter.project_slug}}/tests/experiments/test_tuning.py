"""`make tune` against a real MLflow tracking store (SQLite in a temporary folder): the study's
parent run, a child run per trial, the plots, pruning, the timeout and the best parameters that
`make train` then uses."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import mlflow
import optuna
import pytest
from mlflow.entities import Run
from mlflow.tracking import MlflowClient
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.experiments.cli import app
from {{ cookiecutter.package_name }}.experiments.tracking import EXPERIMENT
from {{ cookiecutter.package_name }}.experiments.tuning import (
    METRIC,
    PLOTS,
    SEARCH_SPACE,
    TrialOutcome,
    TuningError,
    TuningResult,
    tune,
)
from {{ cookiecutter.package_name }}.settings import (
    ENV_PREFIX,
    SETTINGS_FILE,
    ModelParams,
    Settings,
)
from {{ cookiecutter.package_name }}.training import train

from ..support import make_settings

runner = CliRunner()
TRIALS = 3
FOLDS = 2
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def study_runs(client: MlflowClient, parent_id: str | None = None) -> list[Run]:
    """The studies' parent runs (newest first), or the child runs of one, by trial number."""
    experiment = client.get_experiment_by_name(EXPERIMENT)
    assert experiment is not None
    runs = client.search_runs([experiment.experiment_id])
    if parent_id is None:
        return [run for run in runs if run.info.run_name == "tune"]
    children = [run for run in runs if run.data.tags.get("mlflow.parentRunId") == parent_id]
    return sorted(children, key=lambda run: int(run.data.tags["optuna.trial"]))


@dataclass(frozen=True)
class Tuned:
    """One `tune` command run in a project folder of its own, the store it logged to, and its
    study's parent run (some tests run studies of their own in the same store)."""

    root: Path
    settings: Settings
    output: str
    tracking_uri: str
    client: MlflowClient
    study: Run

    def runs(self, parent_id: str | None = None) -> list[Run]:
        """`study_runs` of this store."""
        return study_runs(self.client, parent_id)


def project_environment(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    """Settings from the environment, as `make tune` reads them."""
    monkeypatch.setenv(f"{ENV_PREFIX}TRAINING_DATA", json.dumps(settings.training_data))
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", settings.model_store)
    monkeypatch.setenv(f"{ENV_PREFIX}REPORTS_DIR", str(settings.reports_dir))
    monkeypatch.setenv(f"{ENV_PREFIX}DOCS_DIR", str(settings.docs_dir))


@pytest.fixture(scope="module")
def tuned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuned]:
    """`tune --trials 3 --folds 2` in a project folder, logging to its embedded store."""
    root = tmp_path_factory.mktemp("project")
    settings = make_settings(root)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(root)
        monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
        project_environment(monkeypatch, settings)
        result = runner.invoke(app, ["tune", "--trials", str(TRIALS), "--folds", str(FOLDS)])
        assert result.exit_code == 0, result.output
        tracking_uri = f"sqlite:///{(root / 'mlruns' / 'mlflow.db').as_posix()}"
        client = MlflowClient(tracking_uri)
        [study] = study_runs(client)  # the command's one parent run
        yield Tuned(root, settings, result.output, tracking_uri, client, study)


@pytest.fixture
def same_store(tuned: Tuned, monkeypatch: pytest.MonkeyPatch) -> Tuned:
    """The module's tracking store, reached through MLFLOW_TRACKING_URI as a server would be."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tuned.tracking_uri)
    return tuned


def test_each_trial_is_a_child_run_of_one_parent_run(tuned: Tuned) -> None:
    parent = tuned.study
    children = tuned.runs(parent.info.run_id)
    assert len(children) == TRIALS
    assert parent.data.params["folds"] == str(FOLDS)
    assert parent.data.params["sampler"] == "TPESampler"
    assert parent.data.params["pruner"] == "MedianPruner"
    assert parent.data.metrics["trials_completed"] == TRIALS
    for child in children:
        assert child.info.status == "FINISHED"
        assert child.data.tags["optuna.state"] == "COMPLETE"
        assert set(child.data.params) == set(SEARCH_SPACE)
        history = tuned.client.get_metric_history(child.info.run_id, METRIC)
        assert [point.step for point in history] == list(range(FOLDS))
    scores = [child.data.metrics[METRIC] for child in children]
    assert parent.data.metrics[f"best_{METRIC}"] == max(scores)


def test_the_first_trial_is_the_current_parameters(tuned: Tuned) -> None:
    parent = tuned.study
    first = tuned.runs(parent.info.run_id)[0]
    defaults = ModelParams()
    assert first.data.params == {name: str(value) for name, value in defaults.model_dump().items()}


def test_the_best_parameters_are_printed_and_written_where_train_reads_them(
    tuned: Tuned, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = tuned.study
    best = json.loads((tuned.root / SETTINGS_FILE).read_text(encoding="utf-8"))["params"]
    assert {f"best_{name}": str(value) for name, value in best.items()} == {
        name: value for name, value in parent.data.params.items() if name.startswith("best_")
    }
    for name in SEARCH_SPACE:
        assert f"  {name} = " in tuned.output
    assert f"Wrote them to {SETTINGS_FILE}" in tuned.output
    assert parent.info.run_id in tuned.output

    monkeypatch.chdir(tuned.root)
    settings = make_settings(tuned.root / "retrain")
    assert settings.params.model_dump() == best
    trained = train(settings).metadata.params
    assert {name: trained[name] for name in best} == best


def test_the_study_plots_are_png_images_of_the_parent_run(tuned: Tuned, tmp_path: Path) -> None:
    parent = tuned.study
    folder = Path(
        mlflow.artifacts.download_artifacts(
            run_id=parent.info.run_id,
            artifact_path="plots",
            dst_path=str(tmp_path),
            tracking_uri=tuned.tracking_uri,
        )
    )
    assert sorted(path.name for path in folder.iterdir()) == sorted(PLOTS)
    for name in PLOTS:
        assert (folder / name).read_bytes().startswith(PNG_SIGNATURE)


def test_the_same_seed_draws_the_same_trials(same_store: Tuned) -> None:
    first = same_store.study
    again = tune(same_store.settings, TRIALS, None, FOLDS)
    trials = [run.data.params for run in same_store.runs(first.info.run_id)]
    assert [run.data.params for run in same_store.runs(again.run_id)] == trials


def test_pruned_trials_stop_early_and_are_tagged(same_store: Tuned) -> None:
    outcomes: list[TrialOutcome] = []
    # A real pruner that stops every trial after its first fold.
    always = optuna.pruners.ThresholdPruner(lower=1.1)
    with pytest.raises(TuningError, match=r"no trial completed \(2 pruned\)"):
        tune(same_store.settings, 2, None, 3, on_trial=outcomes.append, pruner=always)
    assert [outcome.macro_f1 for outcome in outcomes] == [None, None]
    parent = same_store.runs()[0]
    assert parent.info.status == "FAILED"
    for child in same_store.runs(parent.info.run_id):
        assert child.data.tags["optuna.state"] == "PRUNED"
        history = same_store.client.get_metric_history(child.info.run_id, METRIC)
        assert [point.step for point in history] == [0]


def test_the_timeout_ends_a_study_without_a_trial_limit(same_store: Tuned) -> None:
    results: list[TuningResult] = []
    study = threading.Thread(
        target=lambda: results.append(tune(same_store.settings, None, 0.1, FOLDS)), daemon=True
    )
    study.start()
    study.join(timeout=60)  # without the timeout, trials would go on for ever
    assert not study.is_alive()
    (result,) = results
    assert result.completed + result.pruned >= 1  # trials started within 0.1 s


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--folds", "500"], "error: the rarest label has 38 training messages, too few for 500"),
        (["--trials", "0"], "Invalid value for '--trials'"),
        (["--timeout", "0"], "Invalid value for '--timeout'"),
    ],
    ids=["folds", "trials", "timeout"],
)
def test_bad_arguments_are_refused_before_anything_runs(
    arguments: list[str], message: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_environment(monkeypatch, settings)
    result = runner.invoke(app, ["tune", *arguments])
    assert result.exit_code in (1, 2)
    assert message in result.output
    assert "Traceback" not in result.output
    assert not Path("mlruns").exists()


def test_bad_data_is_refused_with_its_line(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project_environment(monkeypatch, settings)
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nHello,\n", encoding="utf-8")
    monkeypatch.setenv(f"{ENV_PREFIX}TRAINING_DATA", json.dumps([str(bad)]))
    result = runner.invoke(app, ["tune"])
    assert result.exit_code == 1
    assert "line 2, column 'label'" in result.output
    assert "Traceback" not in result.output
