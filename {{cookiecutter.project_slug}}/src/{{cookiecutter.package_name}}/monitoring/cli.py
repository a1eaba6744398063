"""The monitoring commands:

python -m {{ cookiecutter.package_name }}.monitoring --help
"""

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from ..settings import ENV_PREFIX, Settings
from .settings import MonitoringSettings

REQUEST_ID = "request_id"
app = typer.Typer(
    help="What the API served, and the feedback on it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # click's plain help: typer's panels print <bool> next to every flag
)


@app.callback()
def main() -> None:
    """The prediction log and its feedback."""


@app.command("export-feedback")
def export(
    output: Annotated[
        Path, typer.Option(help="The labelled file to write (training reads data/labelled/).")
    ] = Path("data/labelled/feedback.csv"),
) -> None:
    """Write the predictions that got feedback, with their true labels, as labelled data (the
    log must hold their texts: MONITORING_STORE_TEXT=true)."""
    from ..errors import DataValidationError
    from .export import ExportError, export_feedback
    from .sink import LogSink

    settings, monitoring = Settings(), MonitoringSettings()
    try:
        exported = export_feedback(
            LogSink(monitoring.log_url), output, settings.id_column or REQUEST_ID
        )
    except (ExportError, DataValidationError, OSError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    skipped = f"; {exported.without_text} without their text" if exported.without_text else ""
    typer.echo(f"Wrote {exported.rows} labelled messages to {output}{skipped}. Next: make train")


@app.command("report")
def report(
    days: Annotated[int, typer.Option(min=1, help="How many days of traffic to compare.")] = 7,
    until: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="The window's last day (UTC); today by default."),
    ] = None,
    version: Annotated[
        str | None,
        typer.Option(help="The version (or alias) to check; the one that served most by default."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="The report's folder (MONITORING_REPORT_DIR by default).")
    ] = None,
) -> None:
    """Compare what the API served with the data of the model that served it, and write the
    report (HTML, PNG charts, checks.json). Exit status: 1 when a check fails, 2 when the
    report cannot be made."""
    from ..errors import DataValidationError
    from ..store import ModelNotFoundError
    from .report import make_report, write_report
    from .window import MonitorError, last_days

    settings, monitoring = Settings(), MonitoringSettings()
    first_day, last_day = last_days(days, until.date() if until else None)
    try:
        made = make_report(settings, monitoring, first_day, last_day, version)
        page = write_report(made, output or monitoring.report_dir)
    except (MonitorError, ModelNotFoundError, DataValidationError, OSError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    window = made.window
    typer.echo(
        f"Version {window.version}: {len(window.predictions)} predictions and"
        f" {made.live.feedback} answers from {window.since} to {window.until}."
    )
    for check in made.checks:
        typer.echo(f"  {check.status:8} {check}")
    for line in made.comparison.lines() if made.comparison else []:
        typer.echo(line)
    typer.echo(f"Report: {page}")
    if made.failed:
        names = ", ".join(check.name for check in made.failed)
        typer.echo(f"error: drift: {names} past the threshold (see the report)", err=True)
        raise typer.Exit(1)


@app.command("promote")
def promote(
    version: Annotated[str, typer.Argument(help="The version (or alias) to serve.")],
    days: Annotated[int, typer.Option(min=1, help="Days of shadow scoring to show.")] = 7,
    yes: Annotated[bool, typer.Option("--yes", help="Promote without asking.")] = False,
) -> None:
    """Show how VERSION did against the version served (held out, and scored in shadow as the
    challenger), then serve it: the store's latest points to it."""
    from ..errors import DataValidationError
{%- if cookiecutter.use_mlflow %}
    from ..experiments.tracking import TrackingError
{%- endif %}
    from ..store import LATEST, ModelNotFoundError, ModelStore
    from .promotion import promote as serve
    from .promotion import shadow_record
    from .window import last_days

    settings, monitoring = Settings(), MonitoringSettings()
    store = ModelStore(settings.model_store)
    try:
        candidate, served = store.metadata(version), store.metadata(LATEST)
        if candidate.version == served.version:
            typer.echo(f"Version {served.version} is already served.")
            return
        record = shadow_record(settings, monitoring, *last_days(days), candidate.version)
    except (ModelNotFoundError, DataValidationError, OSError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    for name, metadata in (("Served", served), ("Candidate", candidate)):
        typer.echo(
            f"{name} {metadata.version}: held-out macro-F1 {metadata.metrics['macro_f1']:.3f},"
            f" accuracy {metadata.metrics['accuracy']:.3f}"
        )
    if record is None:
        typer.echo(
            f"No shadow predictions of {candidate.version} in the last {days} days of the log"
            f" (serve with {ENV_PREFIX}MONITORING_CHALLENGER={candidate.version} to have some)."
        )
    else:
        for line in record.lines():
            typer.echo(line)
    if not yes and not typer.confirm(f"Serve {candidate.version}?"):
        raise typer.Exit(1)
    try:
        serve(settings, candidate.version)
    except (DataValidationError, OSError{% if cookiecutter.use_mlflow %}, TrackingError{% endif %}) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Promoted version {candidate.version} to '{LATEST}'.")
