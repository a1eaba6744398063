"""The Fargate cluster's arguments, built from the Terraform outputs and checked against the
installed dask-cloudprovider (which calls AWS as soon as a cluster is built, so none is)."""

import inspect
import json
from pathlib import Path

import pytest
from dask_cloudprovider.aws import FargateCluster
from dask_cloudprovider.aws.ecs import ECSCluster, Worker

from {{ cookiecutter.package_name }}.scale.fargate import (
    NANNY_PORT,
    WORKER_PORT,
    FargateError,
    cluster_arguments,
    fargate_cluster,
)
from {{ cookiecutter.package_name }}.scale.terraform import (
    TerraformOutputs,
    TerraformOutputsError,
    load_outputs,
)

from .terraform_outputs import SCALE, write_outputs

# The ports that infra/scale.tf's security group opens between the tasks.
OPEN_PORTS = range(8786, 8789 + 1)


@pytest.fixture
def outputs(tmp_path: Path) -> TerraformOutputs:
    return load_outputs(write_outputs(tmp_path / "outputs.json"))


def test_the_cluster_runs_in_what_terraform_made_and_creates_nothing(
    outputs: TerraformOutputs,
) -> None:
    arguments = cluster_arguments(outputs, workers=4)
    assert arguments["cluster_arn"] == SCALE["cluster_arn"]
    assert arguments["subnets"] == SCALE["subnet_ids"]
    assert arguments["security_groups"] == [SCALE["security_group_id"]]
    assert arguments["scheduler_task_definition_arn"] == SCALE["scheduler_task_definition"]
    assert arguments["worker_task_definition_arn"] == SCALE["worker_task_definition"]
    assert arguments["region_name"] == SCALE["region"]
    assert arguments["n_workers"] == 4
    # Given all of these, FargateCluster creates no cluster, role, log group, security group or
    # task definition, and never looks for a default VPC; nor does it clean up the account.
    for given in (
        "cluster_arn",
        "execution_role_arn",
        "task_role_arn",
        "cloudwatch_logs_group",
        "security_groups",
        "subnets",
        "vpc",
        "scheduler_task_definition_arn",
        "worker_task_definition_arn",
    ):
        assert arguments[given], given
    assert arguments["skip_cleanup"] is True
    assert arguments["fargate_use_private_ip"] is False
    assert cluster_arguments(outputs, 1, private_ip=True)["fargate_use_private_ip"] is True


def test_every_argument_is_one_that_fargate_cluster_takes(outputs: TerraformOutputs) -> None:
    parameters = inspect.signature(ECSCluster.__init__).parameters
    assert issubclass(FargateCluster, ECSCluster)
    assert set(cluster_arguments(outputs, 2)) <= set(parameters)


def test_workers_listen_only_on_the_ports_the_security_group_opens(
    outputs: TerraformOutputs,
) -> None:
    arguments = cluster_arguments(outputs, 2)
    worker = Worker(  # builds its command; starting it would call AWS
        scheduler="tcp://10.0.0.5:8786",
        cpu=arguments["worker_cpu"],
        mem=arguments["worker_mem"],
        gpu=None,
        nthreads=None,
        extra_args=arguments["worker_extra_args"],
        client=None,
        cluster_arn=arguments["cluster_arn"],
        task_definition_arn=arguments["worker_task_definition_arn"],
        vpc_subnets=arguments["subnets"],
        security_groups=arguments["security_groups"],
        log_group=arguments["cloudwatch_logs_group"],
        log_stream_prefix=arguments["cloudwatch_logs_stream_prefix"],
        fargate=True,
        environment=None,
        tags={},
    )
    command = worker._overrides["command"]
    assert command[:2] == ["dask-worker", "tcp://10.0.0.5:8786"]
    assert command[command.index("--worker-port") + 1] == str(WORKER_PORT)
    assert command[command.index("--nanny-port") + 1] == str(NANNY_PORT)
    assert "--no-dashboard" in command  # a worker's dashboard would listen on a random port
    assert {WORKER_PORT, NANNY_PORT} <= set(OPEN_PORTS)
    # The task's size from Terraform: two threads on 2 vCPU, the memory limit of 8 GiB.
    assert command[command.index("--nthreads") + 1] == "2"
    assert command[command.index("--memory-limit") + 1] == "8GB"


def test_a_cluster_needs_a_worker(outputs: TerraformOutputs) -> None:
    with pytest.raises(ValueError, match="at least one worker, not 0"):
        cluster_arguments(outputs, 0)


def test_missing_outputs_say_how_to_save_them(tmp_path: Path) -> None:
    hint = "no Terraform outputs; save them with `make scale-outputs ENV=staging`"
    with pytest.raises(TerraformOutputsError, match=hint):
        load_outputs(tmp_path / "outputs.json")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "unreadable Terraform outputs"),
        (json.dumps({"model_store": {"value": "s3://b/models"}}), "no `scale` output; apply"),
        (json.dumps({"scale": {"value": {**SCALE, "worker_cpu": "2048"}}}), "worker_cpu: Input"),
        (
            json.dumps({"scale": {"value": {k: v for k, v in SCALE.items() if k != "log_group"}}}),
            "log_group: Field required",
        ),
    ],
)
def test_outputs_that_are_not_infra_scale_tf_s_are_refused_in_one_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "outputs.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TerraformOutputsError, match=message) as error:
        load_outputs(path)
    assert "\n" not in str(error.value)
    assert str(path) in str(error.value)


def test_a_cluster_without_outputs_fails_in_one_line_before_calling_aws(tmp_path: Path) -> None:
    with pytest.raises(TerraformOutputsError, match="no Terraform outputs") as error:
        fargate_cluster(tmp_path / "outputs.json", 2)
    assert isinstance(error.value, OSError)  # the commands report it like unreachable storage


def test_aws_out_of_reach_fails_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # the discard port: nothing listens
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_MAX_ATTEMPTS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(
        FargateError, match=r"^the Fargate cluster did not start: Could not connect"
    ):
        fargate_cluster(write_outputs(tmp_path / "outputs.json"), 2)
