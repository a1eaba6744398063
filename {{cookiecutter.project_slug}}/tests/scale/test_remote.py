"""make train-remote against an AWS emulator on loopback (moto's ECS, EC2 and CloudWatch Logs):
the task is started with the size and data of the run, its logs are streamed, its exit status
returned, and Ctrl-C stops it. moto stops its tasks with exit code 0, so the other statuses are
checked on stopped-task documents as ECS returns them."""

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import boto3
import pytest
from moto.server import ThreadedMotoServer
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.scale.cli import app
from {{ cookiecutter.package_name }}.scale.remote import (
    RemoteError,
    RemoteTraining,
    exit_status,
    task_size,
    training_environment,
)
from {{ cookiecutter.package_name }}.scale.terraform import TerraformOutputs, load_outputs
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX

from .terraform_outputs import SCALE, write_outputs

REGION = SCALE["region"]


@pytest.fixture(scope="module")
def aws() -> Iterator[str]:
    """The emulator's address; every AWS client of the tests goes there."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def environment(aws: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name, value in {
        "AWS_ENDPOINT_URL": aws,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_MAX_ATTEMPTS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    yield aws
    urlopen(Request(f"{aws}/moto-api/reset", method="POST"), timeout=10).close()
    task_progression(aws, {"progression": "immediate"})  # which the reset leaves as it was


def task_progression(aws: str, progression: dict[str, Any]) -> None:
    """How moto moves tasks from RUNNING to STOPPED (immediately, by default)."""
    body = json.dumps({"model_name": "ecs::task", "transition": progression}).encode()
    url = f"{aws}/moto-api/state-manager/set-transition"
    urlopen(Request(url, data=body, method="POST"), timeout=10).close()


@pytest.fixture
def outputs(environment: str, tmp_path: Path) -> TerraformOutputs:
    """What infra/scale.tf makes, made in the emulator; its outputs saved as Terraform would."""
    session = boto3.Session(region_name=REGION)
    ec2, ecs, logs = (session.client(name) for name in ("ec2", "ecs", "logs"))
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})  # as infra's
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="dask", Description="dask", VpcId=vpc)["GroupId"]
    cluster = ecs.create_cluster(clusterName="staging")["cluster"]["clusterArn"]
    definition = ecs.register_task_definition(
        family="staging-train",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="2048",
        memory="8192",
        # moto sizes a task by its containers' memory: infra's task definition need not.
        containerDefinitions=[{"name": "train", "image": "scale:sha-1", "memory": 8192}],
    )["taskDefinition"]["taskDefinitionArn"]
    logs.create_log_group(logGroupName=SCALE["log_group"])
    scale = SCALE | {
        "cluster_arn": cluster,
        "vpc_id": vpc,
        "subnet_ids": [subnet],
        "security_group_id": group,
        "training_task_definition": definition,
    }
    return load_outputs(write_outputs(tmp_path / "outputs.json", scale))


def write_log(outputs: TerraformOutputs, task_arn: str, *lines: str) -> None:
    """What the training container prints, as the awslogs driver stores it."""
    logs = boto3.Session(region_name=REGION).client("logs")
    stream = f"train/train/{task_arn.split('/')[-1]}"
    logs.create_log_stream(logGroupName=outputs.log_group, logStreamName=stream)
    now = int(time.time() * 1000)  # CloudWatch refuses events older than 14 days
    events = [{"timestamp": now + i, "message": line} for i, line in enumerate(lines)]
    logs.put_log_events(logGroupName=outputs.log_group, logStreamName=stream, logEvents=events)


def test_the_task_runs_with_the_size_and_data_of_the_run_and_its_logs_stream_here(
    outputs: TerraformOutputs, environment: str
) -> None:
    task_progression(environment, {"progression": "manual", "times": 2})
    run = RemoteTraining.connect(outputs)
    data = training_environment("s3://bucket/data/2026-*.csv", ENV_PREFIX)
    task_arn = run.start(task_size(4096, None), data)
    write_log(outputs, task_arn, "Training on s3://bucket/data/2026-*.csv", "macro-F1: 0.91")
    lines: list[str] = []

    assert run.follow(task_arn, lines.append, poll_seconds=0.01) == 0
    assert lines == ["Training on s3://bucket/data/2026-*.csv", "macro-F1: 0.91"]  # once each
    [task] = run.ecs.describe_tasks(cluster=outputs.cluster_arn, tasks=[task_arn])["tasks"]
    assert task["lastStatus"] == "STOPPED"
    assert task["overrides"]["cpu"] == "4096"
    assert task["overrides"]["memory"] == "8192"  # the least that 4 vCPU allows
    [container] = task["overrides"]["containerOverrides"]
    assert container["name"] == "train"
    assert container["environment"] == [
        {"name": f"{ENV_PREFIX}TRAINING_DATA", "value": '["s3://bucket/data/2026-*.csv"]'}
    ]
    network = task["attachments"][0]["details"]
    assert {"name": "subnetId", "value": outputs.subnet_ids[0]} in network


def test_ctrl_c_stops_the_task(outputs: TerraformOutputs, environment: str) -> None:
    task_progression(environment, {"progression": "manual", "times": 1000})  # runs on
    run = RemoteTraining.connect(outputs)
    task_arn = run.start(None, {})
    write_log(outputs, task_arn, "Training on data/*.csv")

    def press_ctrl_c(line: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run.follow(task_arn, press_ctrl_c, poll_seconds=0.01)
    [task] = run.ecs.describe_tasks(cluster=outputs.cluster_arn, tasks=[task_arn])["tasks"]
    assert (task["lastStatus"], task["stoppedReason"]) == ("STOPPED", "stopped by Ctrl-C")


def test_the_command_exits_with_the_tasks_status(
    outputs: TerraformOutputs, environment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASK_TERRAFORM_OUTPUTS", str(tmp_path / "outputs.json"))
    result = CliRunner().invoke(app, ["train-remote", "--memory", "16384"])
    assert result.exit_code == 0, result.output
    assert "Started the training task arn:aws:ecs:" in result.output
    assert "exited with status 0" in result.output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--cpu", "3000"], "CPU=3000 is not a Fargate size: 256, 512, 1024, 2048, 4096"),
        (["--cpu", "1024", "--memory", "16384"], "MEMORY=16384 MiB does not fit CPU=1024"),
        (["--memory", "1000"], "MEMORY=1000 MiB is not a Fargate size"),
    ],
)
def test_sizes_that_fargate_does_not_offer_are_refused_before_calling_aws(
    arguments: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASK_TERRAFORM_OUTPUTS", str(tmp_path / "missing.json"))
    result = CliRunner().invoke(app, ["train-remote", *arguments])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {message}")
    assert result.output.count("\n") == 1


def test_without_outputs_the_command_says_how_to_save_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASK_TERRAFORM_OUTPUTS", str(tmp_path / "outputs.json"))
    result = CliRunner().invoke(app, ["train-remote"])
    assert result.exit_code == 1
    assert "no Terraform outputs; save them with `make scale-outputs ENV=staging`" in result.output


@pytest.mark.parametrize(
    ("cpu", "memory", "size"),
    [
        (None, None, None),
        (256, None, (256, 512)),
        (None, 3072, (512, 3072)),
        (16384, 122880, (16384, 122880)),
        (8192, 20480, (8192, 20480)),
    ],
)
def test_task_sizes_are_fargates(
    cpu: int | None, memory: int | None, size: tuple[int, int] | None
) -> None:
    assert task_size(cpu, memory) == size


def test_a_task_that_fails_returns_its_containers_exit_status() -> None:
    task = {
        "lastStatus": "STOPPED",
        "stoppedReason": "Essential container in task exited",
        "containers": [{"name": "train", "lastStatus": "STOPPED", "exitCode": 1}],
    }
    assert exit_status(task, "train") == 1


def test_a_task_that_never_ran_training_says_why() -> None:
    task = {
        "lastStatus": "STOPPED",
        "stoppedReason": "CannotPullContainerError: pull image manifest has been retried 5 times",
        "containers": [{"name": "train", "lastStatus": "STOPPED"}],
    }
    with pytest.raises(RemoteError, match="stopped before training ran: CannotPullContainerError"):
        exit_status(task, "train")
