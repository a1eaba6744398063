"""The labelling loop's commands, start, push and pull:

python -m {{ cookiecutter.package_name }}.annotation --help
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, {% if cookiecutter.use_monitoring %}Annotated, {% endif %}NoReturn
from urllib.parse import urlparse

import typer

from ..data import DataValidationError, labels_of, load_training_data, load_unlabelled, row_ids
from ..settings import {% if cookiecutter.use_monitoring %}ENV_PREFIX, {% endif %}Settings
from ..store import ModelNotFoundError, ModelStore
from .config import ROW_ID, labelling_config
from .credentials import DATA_DIR, ENV_FILE, PASSWORD, Credentials, ensure_credentials
from .export import ExportError, read_export
from .guide import update_guide
from .merge import merge_annotations
from .settings import AnnotationSettings
from .studio import LabelStudioError, Studio
from .tasks import tasks_to_push

if TYPE_CHECKING:
    import pandas as pd

LABEL_STUDIO = "label-studio==1.23.2"  # run in its own environment, never the project's
# Label Studio 1.23.2 leaves sentry-sdk unbounded and passes it an option that sentry-sdk 3 removed.
LABEL_STUDIO_PINS = ("--with", "sentry-sdk==2.76.0")
app = typer.Typer(
    help="Label messages with Label Studio and merge them into the training data.",
    rich_markup_mode=None,  # click's plain help: typer's panels print <bool> next to every flag
)


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def labels(settings: Settings) -> list[str]:
    """The labels to annotate: those of the served model, or of the labelled data before any."""
    try:
        return ModelStore(settings.model_store).metadata(settings.model_version).labels
    except ModelNotFoundError:
        return labels_of(load_training_data(settings.training_data, settings.id_column))


def _credentials() -> Credentials:
    """This project's Label Studio user, saying what was created and where."""
    credentials = ensure_credentials()
    if credentials.created:
        typer.echo(
            f"Created {' and '.join(credentials.created)} in {ENV_FILE}: random, for this project"
            " only, in a file only you can read."
        )
        if (DATA_DIR / "label_studio.sqlite3").exists():
            typer.echo(
                f"warning: {DATA_DIR}/ has a user already, who keeps the password and token it was"
                f" created with: put those in {ENV_FILE} instead, or move {DATA_DIR}/ away.",
                err=True,
            )
    return credentials


@app.command("credentials")
def create_credentials() -> None:
    """Create this project's Label Studio password and API token in .env, unless they are set."""
    credentials = _credentials()
    if not credentials.created:
        typer.echo(f"The password and API token of {credentials.username} are set already.")


@app.command()
def start() -> None:
    """Start Label Studio on this machine (SQLite in .label-studio/) with this project's user,
    whose password and API token are created in .env the first time."""
    credentials = _credentials()
    settings = AnnotationSettings()
    address = urlparse(settings.url)
    command = ["uvx", "--from", LABEL_STUDIO, *LABEL_STUDIO_PINS, "label-studio", "start"]
    command += ["--no-browser"]
    command += ["--data-dir", str(DATA_DIR), "--port", str(address.port or 8080)]
    command += ["--host", settings.url, "--internal-host", address.hostname or "127.0.0.1"]
    # The user and token go by environment: every user of the machine can read a command line.
    environment = os.environ | credentials.label_studio_environment()
    environment["LATEST_VERSION_CHECK"] = "false"
    typer.echo(f"Log in at {settings.url} as {credentials.username} ({PASSWORD} in {ENV_FILE}).")
    sys.stdout.flush()
    os.execvpe(command[0], command, environment)


def push_pool(
    settings: Settings, annotation: AnnotationSettings, pool: pd.DataFrame, ids: pd.Series
) -> tuple[int, int]:
    """Push the messages of `pool` (with their `ids`) that are neither labelled nor pushed yet,
    with the model's guesses, least sure first; how many, and to which project."""
    model = ModelStore(settings.model_store).load(settings.model_version)
    labelled = load_training_data(settings.training_data, settings.id_column)
    known = set(row_ids(labelled, settings.id_column))
    studio = Studio(annotation)
    project = studio.project(labelling_config(model.metadata.labels))
    tasks = tasks_to_push(pool, ids, known | studio.row_ids(project), model)
    studio.import_tasks(project, tasks)
    update_guide(settings.docs_dir, model.metadata.labels)
    return len(tasks), project


@app.command()
def push() -> None:
    """Send the unlabelled messages, with the model's guesses, least sure first."""
    settings, annotation = Settings(), AnnotationSettings()
    try:
        ModelStore(settings.model_store).metadata(settings.model_version)
        pool = load_unlabelled(settings.unlabelled_data, settings.id_column)
        pushed, project = push_pool(settings, annotation, pool, row_ids(pool, settings.id_column))
    except (ModelNotFoundError, DataValidationError, LabelStudioError) as error:
        fail(str(error))
    typer.echo(
        f"Pushed {pushed} messages (least sure first) to {annotation.url}/projects/{project};"
        f" {len(pool) - pushed} were labelled or pushed already."
    )
{%- if cookiecutter.use_monitoring %}


@app.command("push-served")
def push_served(
    days: Annotated[int, typer.Option(min=1, help="How many days of traffic to send.")] = 7,
) -> None:
    """Send the messages the API served that got no feedback, with the model's guesses, least
    sure first (the log must hold their texts: MONITORING_STORE_TEXT=true)."""
    from ..monitoring.settings import MonitoringSettings
    from ..monitoring.sink import LogSink
    from ..monitoring.window import last_days
    from .served import REQUEST_ID, served_without_feedback

    settings, annotation = Settings(), AnnotationSettings()
    since, _ = last_days(days)
    id_column = settings.id_column or REQUEST_ID
    try:
        pool, without_text = served_without_feedback(
            LogSink(MonitoringSettings().log_url), since, id_column
        )
        if pool.empty:
            fail(
                f"no message served since {since} without feedback has its text in the log"
                f" ({without_text} without it: set {ENV_PREFIX}MONITORING_STORE_TEXT=true)"
            )
        pushed, project = push_pool(settings, annotation, pool, pool[id_column])
    except (ModelNotFoundError, DataValidationError, LabelStudioError, OSError) as error:
        fail(str(error))
    typer.echo(
        f"Pushed {pushed} served messages (least sure first) to"
        f" {annotation.url}/projects/{project}; {len(pool) - pushed} were pushed already,"
        f" {without_text} had no text in the log."
    )
{%- endif %}


@app.command()
def pull() -> None:
    """Merge the annotations into the training data; report disagreements between annotators."""
    settings, annotation = Settings(), AnnotationSettings()
    try:
        studio = Studio(annotation)
        project = studio.project(labelling_config(labels(settings)))
        id_column = settings.id_column or ROW_ID
        pulled = read_export(studio.export(project), studio.people(), id_column)
        total = merge_annotations(pulled.labelled, annotation.labelled_file)
    except (DataValidationError, ExportError, LabelStudioError) as error:
        fail(str(error))
    typer.echo(
        f"Pulled {len(pulled.labelled)} labelled messages into {annotation.labelled_file}"
        f" ({total} in it); {pulled.skipped} skipped or cancelled. Next: make train"
    )
    if pulled.agreement is not None:
        typer.echo(
            f"Agreement: {pulled.agreement:.0%} of the {pulled.multiply_annotated} messages"
            " labelled by several people."
        )
    if pulled.disagreements:
        typer.echo(
            f"Left out until the annotators agree ({len(pulled.disagreements)}): "
            + ", ".join(pulled.disagreements)
        )
