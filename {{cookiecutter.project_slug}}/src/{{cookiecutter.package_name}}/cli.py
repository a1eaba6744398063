"""The command line: train, evaluate, predict and list model versions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

# Commands import what they need when they run: `--help` and a prediction do not wait for the
# training libraries (pandas, pandera, matplotlib), and the test suite checks it.
if TYPE_CHECKING:
    from .evaluation import Evaluation
    from .settings import Settings

app = typer.Typer(
    help="Train, evaluate and use the support-message router.",
    no_args_is_help=True,
    add_completion=False,
    # Click's plain help: typer's rich panels print a type such as <bool> next to every flag.
    rich_markup_mode=None,
)
out = Console()
err = Console(stderr=True)

VersionOption = Annotated[
    str | None, typer.Option(help="Model version or alias (default: the configured one).")
]


def _settings() -> Settings:
    from .log import configure_logging
    from .settings import Settings, settings_problems

    try:
        settings = Settings()
    except ValueError as error:
        raise _fail(settings_problems(error)) from error
    configure_logging(settings.log_level)
    return settings


def _fail(problems: list[str]) -> typer.Exit:
    for problem in problems:
        err.print(f"[bold red]Error:[/] {problem}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def _show_metrics(title: str, evaluation: Evaluation) -> None:
    from rich.table import Table

    table = Table(title=title)
    table.add_column("Metric")
    table.add_column("Value", justify="right")
    for name, value in evaluation.metrics.items():
        table.add_row(name, f"{value:.3f}" if name != "support" else f"{value:.0f}")
    out.print(table)
    out.print(evaluation.report, highlight=False)
    out.print(f"macro-F1: {evaluation.metrics['macro_f1']:.3f}")


@app.command()
def train(
    promote: Annotated[
        bool,
        typer.Option(help="Serve the version ('latest') if it passes the quality gate."),
    ] = True,
) -> None:
    """Train, evaluate and store a new model version.

    The version is promoted to 'latest' if it passes the quality gate (lowest macro-F1), unless
    --no-promote keeps the version served as it is.
    """
    settings = _settings()
{%- if cookiecutter.use_mlflow %}
    from .experiments.handoff import RunLogger

    # Started before the training's imports, so that MLflow's own overlap them.
    run_logger = RunLogger() if settings.track_experiments else None
{%- endif %}
    err.print(f"Training on {', '.join(settings.training_data)}", markup=False, highlight=False)
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from . import training
    from .data import DataValidationError
    from .errors import ModelDefinitionError
{%- if cookiecutter.use_mlflow %}
    from .experiments.tracking import TrackingError
{%- endif %}
    from .store import LATEST

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task("Training", total=len(training.STEPS))

            def on_step(step: str) -> None:
                progress.update(task, description=step, completed=training.STEPS.index(step))

            result = training.train(settings, on_step{% if cookiecutter.use_mlflow %}, run_logger{% endif %}, promote=promote)
    except DataValidationError as error:
        raise _fail(error.problems) from error
    except ModelDefinitionError as error:
        raise _fail([str(error)]) from error
{%- if cookiecutter.use_mlflow %}
    except TrackingError as error:
        raise _fail([str(error)]) from error
{%- endif %}
    _show_metrics(f"Model {result.metadata.version}", result.evaluation)
{%- if cookiecutter.use_mlflow %}
    out.print(
        f"Logged as MLflow run {result.metadata.mlflow_run_id}, registered as version"
        f" {result.metadata.mlflow_model_version} of the model.",
        highlight=False,
    )
{%- endif %}
    if not result.evaluation.passes(settings.min_macro_f1):
        raise _fail(
            [
                f"quality gate failed: macro-F1 {result.evaluation.metrics['macro_f1']:.3f}"
                f" < {settings.min_macro_f1}; version {result.metadata.version} was stored"
                " but not promoted"
            ]
        )
    if not result.promoted:
        out.print(
            f"Stored version {result.metadata.version}, which passes the quality gate, without"
            f" promoting it: '{LATEST}' is unchanged."
        )
        return
    out.print(f"Stored and promoted version {result.metadata.version} to '{LATEST}'.")


@app.command()
def evaluate(version: VersionOption = None) -> None:
    """Re-evaluate a stored version on its held-out messages.

    Writes the reports and fails if the version no longer passes the quality gate.
    """
    settings = _settings()
    from . import training
    from .data import DataValidationError
    from .store import ModelNotFoundError

    try:
        metadata, evaluation = training.evaluate_stored(settings, version or settings.model_version)
    except (DataValidationError, ModelNotFoundError) as error:
        raise _fail(getattr(error, "problems", [str(error)])) from error
    _show_metrics(f"Model {metadata.version}", evaluation)
    out.print(f"Reports written to {settings.reports_dir}/")
    if not evaluation.passes(settings.min_macro_f1):
        raise _fail([f"quality gate failed: macro-F1 below {settings.min_macro_f1}"])


@app.command()
def predict(
    texts: Annotated[
        list[str] | None, typer.Argument(metavar="TEXT", help="Texts to predict.")
    ] = None,
    input_csv: Annotated[
        Path | None,
        typer.Option(
            "--input", help="CSV with a text column; its other columns are kept in the output."
        ),
    ] = None,
    output_csv: Annotated[
        Path | None,
        typer.Option("--output", help="Where to write predictions as CSV, safe for spreadsheets."),
    ] = None,
    version: VersionOption = None,
) -> None:
    """Predict the label of each text, given as arguments or as a CSV file."""
    settings = _settings()
    from .prediction import predict as predict_texts
    from .store import ModelNotFoundError, ModelStore
    from .uploads import PREDICTED_COLUMNS, TEXT_COLUMN, UploadError, predicted_rows, read_texts

    texts = texts or []
    if any(not text.strip() for text in texts):
        raise _fail(["a text to predict is empty"])
    try:
        read = None if input_csv is None else read_texts(input_csv.read_bytes())
    except (OSError, UploadError) as error:
        raise _fail([f"{input_csv}: {getattr(error, 'strerror', None) or error}"]) from error
    if not texts and read is None:
        raise _fail(["give texts as arguments or a CSV file with --input"])
    # The scorer predicts as the stored pipeline does, without importing scikit-learn.
    try:
        model = ModelStore(settings.model_store).load_scorer(version or settings.model_version)
    except ModelNotFoundError as error:
        raise _fail([str(error)]) from error
    title = f"Predictions of model {model.metadata.version}"
    if read is None and output_csv is None:  # texts given one by one need no pandas
        rows = predicted_rows(texts, predict_texts(model.model, texts))
        _show_predictions(title, [TEXT_COLUMN, *PREDICTED_COLUMNS], rows)
        return
    from .spreadsheets import spreadsheet_csv
    from .uploads import texts_frame, with_predictions

    frame = texts_frame(texts, read)
    table_rows = with_predictions(frame, predict_texts(model.model, frame[TEXT_COLUMN].tolist()))
    if output_csv is not None:
        output_csv.write_text(spreadsheet_csv(table_rows), encoding="utf-8", newline="")
        out.print(f"Wrote {len(table_rows)} predictions to {output_csv}")
        return
    _show_predictions(
        title, [str(column) for column in table_rows.columns], table_rows.itertuples(index=False)
    )


def _show_predictions(title: str, columns: list[str], rows: Iterable[Sequence[object]]) -> None:
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(f"{cell:.2f}" if isinstance(cell, float) else str(cell) for cell in row))
    out.print(table)


@app.command()
def versions() -> None:
    """List the stored model versions with their macro-F1."""
    settings = _settings()
    from rich.table import Table

    from .store import LATEST, METADATA_FILE, ModelNotFoundError, ModelStore

    store = ModelStore(settings.model_store)
    names = store.versions()
    incomplete = store.incomplete_versions()
    if not names and not incomplete:
        raise _fail([f"no model in {settings.model_store} yet: run `make train` first"])
    try:
        latest = store.resolve(LATEST)
    except ModelNotFoundError:
        latest = None
    table = Table(title=f"Model versions in {settings.model_store}")
    for column in ("version", "trained at", "macro-F1", "served by", "alias"):
        table.add_column(column)
    for name in names:
        metadata = store.metadata(name)
        table.add_row(
            name,
            f"{metadata.trained_at:%Y-%m-%d %H:%M}",
            f"{metadata.metrics['macro_f1']:.3f}",
            metadata.serving,
            LATEST if name == latest else "",
        )
    for name in incomplete:
        table.add_row(name, "incomplete", "", "", "", style="dim")
    out.print(table)
    if incomplete:
        out.print(
            f"{len(incomplete)} incomplete version folder(s), without {METADATA_FILE}: a training"
            " stopped half-way; never served, safe to delete."
        )
