"""Where the scale commands run, read from the environment and `.env` like Dask's own variables."""

{% if cookiecutter.use_terraform and cookiecutter.use_docker -%}
from pathlib import Path

{% endif -%}
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where a cluster can be started when no scheduler address is given.
CLUSTERS = ("local",{% if cookiecutter.use_terraform and cookiecutter.use_docker %} "fargate"{% endif %})


class ScaleSettings(BaseSettings):
    """Each field can be set as the variable DASK_ + FIELD (DASK_SCHEDULER_ADDRESS...)."""

    model_config = SettingsConfigDict(env_prefix="DASK_", env_file=".env", extra="ignore")

    scheduler_address: str | None = Field(
        None, description="An existing Dask scheduler (tcp://host:8786), used instead of a new one."
    )
    cluster: str = Field(
        "local",
        description="The cluster to start when no scheduler address is given: local, an embedded"
        " cluster of worker processes sized to this machine{% if cookiecutter.use_terraform and cookiecutter.use_docker %}; fargate, an ephemeral cluster of"
        " DASK_WORKERS tasks on AWS Fargate (infra/scale.tf){% endif %}.",
    )
    workers: int | None = Field(
        None, ge=1, description="Number of workers; unset, one per CPU of this machine."
    )
    threads_per_worker: int = Field(1, ge=1, description="Threads of each worker process.")
    worker_memory: str = Field(
        "auto", description="Memory limit of each local worker (2GiB...); auto shares the RAM."
    )
    part_bytes: int = Field(
        64 * 2**20,
        ge=1,
        description="Most bytes of a CSV file that one task reads (smaller for small inputs, so"
        " that every worker has parts).",
    )
{%- if cookiecutter.use_terraform and cookiecutter.use_docker %}
    terraform_outputs: Path = Field(
        Path("infra/outputs.json"),
        description="`terraform output -json` of the environment that fargate clusters and"
        " train-remote run in (make scale-outputs ENV=... saves it).",
    )
    fargate_private_ip: bool = Field(
        False,
        description="Reach the Fargate scheduler at its private address (a client inside the"
        " VPC); otherwise at its public one, open to infra's dask_client_cidrs only.",
    )
{%- endif %}

    @field_validator("cluster")
    @classmethod
    def _known_cluster(cls, cluster: str) -> str:
        if cluster in CLUSTERS:
            return cluster
{%- if not (cookiecutter.use_terraform and cookiecutter.use_docker) %}
        if cluster == "fargate":
            raise ValueError("fargate needs the AWS infrastructure and image components, off here")
{%- endif %}
        raise ValueError(f"{cluster!r} is not one of: {', '.join(CLUSTERS)}")

    @property
    def configured(self) -> bool:
        """Whether a cluster beyond this process is configured (a scheduler address or a cloud
        cluster); training runs its folds locally otherwise."""
        return self.scheduler_address is not None or self.cluster != "local"
