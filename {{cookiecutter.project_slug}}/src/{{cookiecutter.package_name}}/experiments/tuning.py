"""Hyper-parameter search: an Optuna study over the model's parameters, each trial scored by
stratified k-fold macro-F1 on the training split (the held-out messages stay unseen) and logged
as an MLflow child run of one parent run, which keeps the best parameters and the study's plots."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..data import fingerprint, load_training_data, split
{%- if cookiecutter.use_dask %}
from ..scale.parallel import fold_scores, joblib_on_cluster
from ..scale.settings import ScaleSettings
{%- endif %}
from ..settings import SETTINGS_FILE, ModelParams, Settings
from .tracking import use_project_experiment

if TYPE_CHECKING:
    import optuna

# Where each parameter is searched: (lowest, highest, on a log scale).
SEARCH_SPACE: dict[str, tuple[float, float, bool]] = {
    "word_ngram_max": (1, 3, False),
    "char_ngram_max": (2, 6, False),
    "regularization_c": (0.01, 100.0, True),
}
METRIC = "cv_macro_f1"
PLOTS = ("optimization_history.png", "param_importances.png")


@dataclass(frozen=True)
class TrialOutcome:
    """One finished trial: its number, its score (None if pruned) and the best score so far."""

    number: int
    macro_f1: float | None
    best_macro_f1: float | None


@dataclass(frozen=True)
class TuningResult:
    """The best parameters found, their cross-validated macro-F1 and the study's parent run."""

    params: ModelParams
    macro_f1: float
    completed: int
    pruned: int
    run_id: str


class TuningError(ValueError):
    """The study cannot run or found nothing: one readable line."""


def suggest_params(trial: optuna.Trial) -> ModelParams:
    """The parameters a trial tries, drawn from SEARCH_SPACE."""
    values: dict[str, float] = {}
    for name, (low, high, log) in SEARCH_SPACE.items():
        if isinstance(low, int) and isinstance(high, int):
            values[name] = trial.suggest_int(name, low, high)
        else:
            values[name] = trial.suggest_float(name, low, high, log=log)
    return ModelParams.model_validate(values)


def in_search_space(params: ModelParams) -> bool:
    """Whether every parameter lies inside SEARCH_SPACE (so the study can start from it)."""
    values = params.model_dump()
    return all(low <= values[name] <= high for name, (low, high, _) in SEARCH_SPACE.items())


def usable_folds(labels: list[str], folds: int) -> int:
    """The number of folds, checked against the rarest label (each fold needs one of each)."""
    rarest = min(labels.count(label) for label in set(labels))
    if folds < 2:
        raise TuningError(f"cross-validation needs at least 2 folds, not {folds}")
    if rarest < folds:
        raise TuningError(
            f"the rarest label has {rarest} training messages, too few for {folds} folds:"
            f" use --folds {rarest} or fewer, or label more messages"
        )
    return folds


def write_best_params(params: ModelParams, path: Path = SETTINGS_FILE) -> None:
    """Write the parameters into the settings file that `make train` reads, keeping its other
    settings."""
    current = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    current["params"] = params.model_dump()
    path.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")


def tune(
    settings: Settings,
    trials: int | None,
    timeout: float | None,
    folds: int = 5,
    on_trial: Callable[[TrialOutcome], None] = lambda outcome: None,
    pruner: optuna.pruners.BasePruner | None = None,
) -> TuningResult:
    """Run the study, log it to the tracking store and return the best parameters.

    Trials stop after `trials` or `timeout` seconds, whichever comes first. The first trial is
    the current parameters (when inside the search space), so the best is never worse than them.
    The default pruner stops a trial whose running fold score falls below the median of earlier
    trials at the same fold.
    """
    import mlflow
    import optuna

    frame = load_training_data(settings.training_data, settings.id_column)
    train_frame, _ = split(frame, settings.test_size, settings.random_seed)
    texts: list[str] = train_frame["text"].tolist()
    labels: list[str] = train_frame["label"].tolist()
    folds = usable_folds(labels, folds)

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=settings.random_seed),
        pruner=pruner or optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1),
    )
    if in_search_space(settings.params):
        study.enqueue_trial(settings.params.model_dump())

    def objective(trial: optuna.Trial) -> float:
        params = suggest_params(trial)
        with mlflow.start_run(run_name=f"trial {trial.number}", nested=True):
            mlflow.set_tag("optuna.trial", trial.number)
            mlflow.log_params(params.model_dump())
            try:
{%- if cookiecutter.use_dask %}
                macro_f1 = cross_validated_macro_f1(
                    trial, params, texts, labels, folds, settings, n_jobs
                )
{%- else %}
                macro_f1 = cross_validated_macro_f1(trial, params, texts, labels, folds, settings)
{%- endif %}
            except optuna.TrialPruned:
                mlflow.set_tag("optuna.state", "PRUNED")
            else:
                mlflow.set_tag("optuna.state", "COMPLETE")
                return macro_f1
        raise optuna.TrialPruned()  # outside the run, which ends as finished, tagged pruned

    def report(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        complete = optuna.trial.TrialState.COMPLETE
        best = study.best_value if study.get_trials(deepcopy=False, states=(complete,)) else None
        on_trial(TrialOutcome(trial.number, trial.value if trial.state == complete else None, best))

    use_project_experiment()
    with mlflow.start_run(run_name="tune") as parent:
        mlflow.set_tag("kind", "tuning")
        mlflow.log_params(
            {
                "trials": trials,
                "timeout_seconds": timeout,
                "folds": folds,
                "random_seed": settings.random_seed,
                "test_size": settings.test_size,
                "data_sha256": fingerprint(frame),
                "data_rows": len(frame),
                "sampler": type(study.sampler).__name__,
                "pruner": type(study.pruner).__name__,
            }
        )
{%- if cookiecutter.use_dask %}
        # Each trial's folds run on the configured Dask cluster, if any.
        with joblib_on_cluster(ScaleSettings()) as n_jobs:
            study.optimize(objective, n_trials=trials, timeout=timeout, callbacks=[report])
{%- else %}
        study.optimize(objective, n_trials=trials, timeout=timeout, callbacks=[report])
{%- endif %}
        states = [trial.state for trial in study.trials]
        completed = states.count(optuna.trial.TrialState.COMPLETE)
        pruned = states.count(optuna.trial.TrialState.PRUNED)
        mlflow.log_metrics({"trials_completed": completed, "trials_pruned": pruned})
        if completed == 0:
            raise TuningError(f"no trial completed ({pruned} pruned): give it more trials or time")
        best = ModelParams.model_validate(study.best_params)
        mlflow.log_params({f"best_{name}": value for name, value in best.model_dump().items()})
        mlflow.log_metric(f"best_{METRIC}", study.best_value)
        mlflow.log_dict(best.model_dump(), "best_params.json")
        log_plots(study)
    return TuningResult(best, study.best_value, completed, pruned, parent.info.run_id)


def cross_validated_macro_f1(
    trial: optuna.Trial,
    params: ModelParams,
    texts: list[str],
    labels: list[str],
    folds: int,
    settings: Settings,
{%- if cookiecutter.use_dask %}
    n_jobs: int | None = None,
{%- endif %}
) -> float:
    """Mean macro-F1 over stratified folds, reported after each fold so that pruning can stop a
    trial that is doing worse than the others.
{%- if cookiecutter.use_dask %} With `n_jobs` (-1 on a Dask cluster), the folds run
    at once and are reported when all are done.
{%- endif %}"""
    import mlflow
    import optuna
{%- if not cookiecutter.use_dask %}
    from sklearn.metrics import f1_score
{%- endif %}
    from sklearn.model_selection import StratifiedKFold
{%- if not cookiecutter.use_dask %}

    from ..model import build_pipeline
{%- endif %}

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=settings.random_seed)
    scores: list[float] = []
{%- if cookiecutter.use_dask %}
    rows = list(splitter.split(texts, labels))
    fold_macro_f1s = fold_scores(params, settings.random_seed, texts, labels, rows, n_jobs)
    for fold, macro_f1 in enumerate(fold_macro_f1s):
        scores.append(macro_f1)
{%- else %}
    for fold, (train_rows, test_rows) in enumerate(splitter.split(texts, labels)):
        pipeline = build_pipeline(params, settings.random_seed)
        pipeline.fit([texts[i] for i in train_rows], [labels[i] for i in train_rows])
        predicted = pipeline.predict([texts[i] for i in test_rows])
        truth = [labels[i] for i in test_rows]
        scores.append(float(f1_score(truth, predicted, average="macro", zero_division=0)))
{%- endif %}
        mean = sum(scores) / len(scores)
        mlflow.log_metric(METRIC, mean, step=fold)
        trial.report(mean, fold)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return mean


def log_plots(study: optuna.Study) -> None:
    """The optimisation history and (from two completed trials on) the parameter importances,
    as PNG images in the parent run's `plots/`."""
    import matplotlib

    matplotlib.use("Agg")  # Optuna draws with pyplot: no window, only the files
    import matplotlib.pyplot as plt
    import mlflow
    import optuna
    from matplotlib.axes import Axes
    from optuna.visualization import matplotlib as optuna_plots

    completed = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    plots: dict[str, Callable[[optuna.Study], Axes]] = {
        PLOTS[0]: optuna_plots.plot_optimization_history
    }
    if len(completed) >= 2:
        plots[PLOTS[1]] = optuna_plots.plot_param_importances
    with warnings.catch_warnings():
        # Optuna marks its matplotlib plots experimental; their output is checked by the tests.
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        for name, plot in plots.items():
            plot(study)
            figure = plt.gcf()  # the one Optuna just drew on
            figure.set_size_inches(8, 5)
            figure.tight_layout()
            mlflow.log_figure(figure, f"plots/{name}")
            plt.close(figure)
