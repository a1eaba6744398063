"""The scale component's commands:

python -m {{ cookiecutter.package_name }}.scale --help
"""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer

from ..settings import Settings, settings_problems
from .settings import ScaleSettings

# The smallest CSV part cut to spread a small input over the workers.
MIN_PART_BYTES = 64 * 2**10
PARTS_PER_THREAD = 4

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # click's plain help: typer's panels print <bool> next to every flag
)


@app.callback()
def commands() -> None:
    """Score and train past one machine, on Dask: locally, on a cluster or in the cloud."""


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def settings() -> tuple[Settings, ScaleSettings]:
    """The project's settings and the scale settings, or a line per problem and exit 1."""
    try:
        return Settings(), ScaleSettings()
    except ValueError as error:
        fail("\n".join(settings_problems(error)))


def part_bytes(total: int, threads: int, largest: int) -> int:
    """How many bytes of CSV one task reads: enough parts for every thread to have several, none
    above `largest`."""
    return min(largest, max(MIN_PART_BYTES, total // (PARTS_PER_THREAD * max(threads, 1))))


@app.command("batch-predict")
def batch_predict(
    source: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="CSV or Parquet file, glob or dataset folder, local or any fsspec URL (s3://...),"
            " with a text column.",
        ),
    ],
    destination: Annotated[
        str, typer.Argument(metavar="OUTPUT", help="Folder (local or URL) the predictions go to.")
    ],
    version: Annotated[
        str | None, typer.Option(help="Model version or alias (default: the configured one).")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="Output files: parquet or csv.")
    ] = "parquet",
    overwrite: Annotated[bool, typer.Option(help="Replace an existing OUTPUT.")] = False,
) -> None:
    """Predict every message of INPUT on the Dask cluster into the OUTPUT folder, one file per
    part, with every input column, label, confidence and model_version."""
    import fsspec
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from ..store import ModelNotFoundError, ModelStore
    from .batch import Job, score_parts
    from .cluster import connect
    from .inputs import InputError, full_url, list_files, plan_parts
    from .outputs import FORMATS, Output, OutputError

    project, scale = settings()
    if output_format not in FORMATS:
        fail(f"--format must be one of: {', '.join(FORMATS)}, not {output_format!r}")
    try:
        store = full_url(*fsspec.core.url_to_fs(project.model_store))
        model = ModelStore(store).load_scorer(version or project.model_version).metadata.version
        files = list_files(source)
        output = Output(destination, overwrite)
    except (ModelNotFoundError, InputError, OutputError) as error:
        fail(str(error))
    output.start()
    try:
        with connect(scale) as client:
            threads = sum(client.nthreads().values())
            csv_bytes = sum(file.size for file in files if file.format == "csv")
            parts = plan_parts(files, part_bytes(csv_bytes, threads, scale.part_bytes))
            typer.echo(
                f"Scoring {len(files)} file(s) in {len(parts)} parts with model {model} on"
                f" {len(client.nthreads())} Dask worker(s) at {client.scheduler_info()['address']}",
                err=True,
            )
            columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=Console(stderr=True)) as progress:
                task = progress.add_task("Parts", total=len(parts))
                job = Job(store, model, output.staging, output_format)
                rows = score_parts(client, parts, job, lambda: progress.advance(task))
    except (InputError, ModelNotFoundError, OSError) as error:
        output.discard()
        fail(str(error))
    except BaseException:
        output.discard()
        raise
    output.commit()
    typer.echo(f"Wrote {rows} predictions of model {model} to {destination} ({output_format})")
{%- if cookiecutter.use_terraform and cookiecutter.use_docker %}


@app.command("train-remote")
def train_remote(
    cpu: Annotated[
        int | None,
        typer.Option(help="CPU units of the task, 1024 = 1 vCPU (default: infra's training_cpu)."),
    ] = None,
    memory: Annotated[
        int | None,
        typer.Option(help="Memory of the task in MiB (default: the least that CPU allows)."),
    ] = None,
    data: Annotated[
        str | None,
        typer.Option(help="Training data of this run, an s3:// CSV glob (default: data/*.csv)."),
    ] = None,
) -> None:
    """Run the train command as a one-off task on AWS Fargate (infra/scale.tf), stream its logs
    and exit with its status. Ctrl-C stops the task."""
    from botocore.exceptions import BotoCoreError, ClientError

    from ..settings import ENV_PREFIX
    from .remote import RemoteError, RemoteTraining, task_size, training_environment
    from .terraform import TerraformOutputsError, load_outputs

    _, scale = settings()
    try:
        size = task_size(cpu, memory)
        outputs = load_outputs(scale.terraform_outputs)
        run = RemoteTraining.connect(outputs)
        task = run.start(size, training_environment(data, ENV_PREFIX))
        typer.echo(f"Started the training task {task}; its logs follow.", err=True)
        status = run.follow(task, typer.echo)
    except (RemoteError, TerraformOutputsError) as error:
        fail(str(error))
    except (BotoCoreError, ClientError) as error:
        fail(f"AWS refused the training task: {error}")
    except KeyboardInterrupt:
        typer.echo("Interrupted: the training task was stopped.", err=True)
        raise typer.Exit(130) from None
    typer.echo(f"The training task exited with status {status}.", err=True)
    raise typer.Exit(status)
{%- endif %}
