"""The experiment-tracking commands:

python -m {{ cookiecutter.package_name }}.experiments --help
"""

from typing import Annotated, NoReturn

import typer

from ..settings import Settings
from ..store import LATEST, ModelStore, UnusableModelError
from .tracking import CHAMPION, TrackingError, tracking_uri

app = typer.Typer(
    help="Track training runs with MLflow: where they go, the registry and tuning.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # click's plain help: typer's panels print <bool> next to every flag
)


@app.callback()
def main() -> None:
    """Experiment tracking with MLflow (runs, registry, tuning)."""


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@app.command()
def where() -> None:
    """Print the tracking store the commands log to (MLFLOW_TRACKING_URI, or the project's own)."""
    typer.echo(tracking_uri())


@app.command()
def sync() -> None:
    """Point MLflow's champion alias at the store's latest version, after a promotion that was
    interrupted between the two writes (the store is the one source serving reads)."""
    from .registry import sync as sync_aliases

    try:
        before = sync_aliases(ModelStore(Settings().model_store))
    except TrackingError as error:
        fail(str(error))
    if before.agree:
        typer.echo(f"MLflow's {CHAMPION} and the store's {LATEST} agree (version {before.latest}).")
    else:
        typer.echo(
            f"Moved MLflow's {CHAMPION} from {before.champion or 'nowhere'} to version"
            f" {before.latest}, the store's {LATEST}."
        )


@app.command()
def backfill() -> None:
    """Log the versions stored before MLflow tracked this project as runs, register them, and
    point the champion alias at the store's latest."""
    from ..data import DataValidationError
    from .backfill import backfill as backfill_versions
    from .registry import sync as sync_aliases

    settings = Settings()
    try:
        logged = backfill_versions(
            settings, lambda metadata: typer.echo(f"Logging version {metadata.version}...")
        )
        sync_aliases(ModelStore(settings.model_store))
    except DataValidationError as error:
        fail("; ".join(error.problems))
    except (TrackingError, UnusableModelError) as error:
        fail(str(error))
    if not logged:
        typer.echo("Every stored version has its MLflow run already.")
        return
    typer.echo(f"Logged {len(logged)} stored versions as runs in {tracking_uri()}.")


@app.command()
def tune(
    trials: Annotated[int, typer.Option(min=1, help="Most trials to run.")] = 30,
    timeout: Annotated[
        float | None, typer.Option(min=1, help="Start no trial after this many seconds.")
    ] = None,
    folds: Annotated[int, typer.Option(min=2, help="Folds of the cross-validation.")] = 5,
) -> None:
    """Search the model's hyper-parameters with Optuna and write the best to the settings file.

    Each trial is a child run of one MLflow run, scored by stratified k-fold macro-F1 on the
    training split; make train then trains with the best parameters.
    """
    from ..data import DataValidationError
    from ..log import configure_logging
    from ..settings import SETTINGS_FILE, Settings, settings_problems
    from .tuning import TrialOutcome, TuningError, write_best_params
    from .tuning import tune as run_study

    try:
        settings = Settings()
    except ValueError as error:
        fail("; ".join(settings_problems(error)))
    configure_logging(settings.log_level)

    def show(outcome: TrialOutcome) -> None:
        score = "pruned" if outcome.macro_f1 is None else f"macro-F1 {outcome.macro_f1:.3f}"
        best = "" if outcome.best_macro_f1 is None else f" (best {outcome.best_macro_f1:.3f})"
        typer.echo(f"trial {outcome.number}: {score}{best}", err=True)

    try:
        result = run_study(settings, trials, timeout, folds, on_trial=show)
    except DataValidationError as error:
        fail("; ".join(error.problems))
    except TuningError as error:
        fail(str(error))
    write_best_params(result.params)
    typer.echo(
        f"Best of {result.completed} completed trials ({result.pruned} pruned):"
        f" cross-validated macro-F1 {result.macro_f1:.3f}"
    )
    for name, value in result.params.model_dump().items():
        typer.echo(f"  {name} = {value:.4g}")
    typer.echo(f"Wrote them to {SETTINGS_FILE}, which make train reads: commit it to keep them.")
    typer.echo(f"MLflow run {result.run_id} at {tracking_uri()}")
