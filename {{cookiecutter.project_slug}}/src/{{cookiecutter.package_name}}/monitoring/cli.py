"""The monitoring commands:

python -m {{ cookiecutter.package_name }}.monitoring --help
"""

from pathlib import Path
from typing import Annotated

import typer

from ..settings import Settings
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
