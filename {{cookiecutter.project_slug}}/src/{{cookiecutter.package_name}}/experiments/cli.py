"""The experiment-tracking commands:

python -m {{ cookiecutter.package_name }}.experiments --help
"""

from typing import NoReturn

import typer

from .tracking import tracking_uri

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
