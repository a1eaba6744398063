"""`make train-remote`: the unchanged `train` command as a one-off ECS Fargate task of the project's
scale image (infra/scale.tf), sized per run, its logs streamed here, its exit status returned."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from .terraform import TerraformOutputs

STARTED_BY = "train-remote"
# Fargate's task sizes: CPU units (1024 = 1 vCPU) -> the memory sizes (MiB) it allows.
FARGATE_SIZES: dict[int, range] = {
    256: range(512, 2048 + 1, 512),
    512: range(1024, 4096 + 1, 1024),
    1024: range(2048, 8192 + 1, 1024),
    2048: range(4096, 16384 + 1, 1024),
    4096: range(8192, 30720 + 1, 1024),
    8192: range(16384, 61440 + 1, 4096),
    16384: range(32768, 122880 + 1, 8192),
}


class RemoteError(RuntimeError):
    """The remote training could not run or finish, in one line."""


def task_size(cpu: int | None, memory: int | None) -> tuple[int, int] | None:
    """The task's (CPU, memory), or None for the task definition's own. Given one of them, the
    other is the smallest that Fargate pairs with it."""
    if cpu is not None and cpu not in FARGATE_SIZES:
        units = ", ".join(map(str, FARGATE_SIZES))
        raise RemoteError(f"CPU={cpu} is not a Fargate size: {units} (1024 = 1 vCPU)")
    if memory is None:
        return None if cpu is None else (cpu, FARGATE_SIZES[cpu][0])
    fitting = [units for units, sizes in FARGATE_SIZES.items() if memory in sizes]
    if not fitting:
        raise RemoteError(f"MEMORY={memory} MiB is not a Fargate size: {_memory_sizes()}")
    if cpu is None:
        return fitting[0], memory
    if cpu not in fitting:
        sizes = FARGATE_SIZES[cpu]
        raise RemoteError(
            f"MEMORY={memory} MiB does not fit CPU={cpu}: Fargate gives it {sizes.start} to"
            f" {sizes[-1]} MiB in steps of {sizes.step}"
        )
    return cpu, memory


def _memory_sizes() -> str:
    return "; ".join(
        f"{sizes.start}-{sizes[-1]} in steps of {sizes.step} (CPU={units})"
        for units, sizes in FARGATE_SIZES.items()
    )


def run_task_request(
    outputs: TerraformOutputs,
    size: tuple[int, int] | None,
    environment: Mapping[str, str],
) -> dict[str, Any]:
    """ECS RunTask's arguments: the training task definition in the environment's cluster,
    subnets and security group, with the size and the environment of this run."""
    container: dict[str, Any] = {"name": outputs.training_container}
    if environment:
        container["environment"] = [
            {"name": name, "value": value} for name, value in environment.items()
        ]
    overrides: dict[str, Any] = {"containerOverrides": [container]}
    if size is not None:
        overrides |= {"cpu": str(size[0]), "memory": str(size[1])}
        container |= {"cpu": size[0], "memory": size[1]}
    return {
        "cluster": outputs.cluster_arn,
        "taskDefinition": outputs.training_task_definition,
        "launchType": "FARGATE",
        "count": 1,
        "startedBy": STARTED_BY,
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": outputs.subnet_ids,
                "securityGroups": [outputs.security_group_id],
                "assignPublicIp": "ENABLED",  # reaches ECR and S3 without a NAT gateway
            }
        },
        "overrides": overrides,
    }


def log_stream(outputs: TerraformOutputs, task_arn: str) -> str:
    """The task's CloudWatch stream: awslogs' <prefix>/<container>/<task id>."""
    return f"{outputs.training_container}/{outputs.training_container}/{task_arn.split('/')[-1]}"


def exit_status(task: Mapping[str, Any], container_name: str) -> int:
    """The exit status of a stopped task's training container; a task that stopped before the
    container ran (no image, no capacity...) is an error that says why."""
    for container in task.get("containers", []):
        if container.get("name") == container_name and "exitCode" in container:
            return int(container["exitCode"])
    reason = task.get("stoppedReason") or "no reason given"
    raise RemoteError(f"the training task stopped before training ran: {reason}")


class RemoteTraining:
    """One run of the training task, through an ECS and a CloudWatch Logs client."""

    def __init__(self, outputs: TerraformOutputs, ecs: Any, logs: Any) -> None:
        self.outputs = outputs
        self.ecs = ecs
        self.logs = logs

    @classmethod
    def connect(cls, outputs: TerraformOutputs) -> RemoteTraining:
        """Clients of the environment's region, with your AWS credentials."""
        import boto3

        session = boto3.Session(region_name=outputs.region)
        return cls(outputs, session.client("ecs"), session.client("logs"))

    def start(self, size: tuple[int, int] | None, environment: Mapping[str, str]) -> str:
        """Start the task; its ARN."""
        response = self.ecs.run_task(**run_task_request(self.outputs, size, environment))
        if response.get("failures") or not response.get("tasks"):
            reasons = ", ".join(
                f"{failure.get('reason')} {failure.get('detail') or ''}".strip()
                for failure in response.get("failures", [])
            )
            raise RemoteError(f"ECS did not start the training task: {reasons or 'no task'}")
        return str(response["tasks"][0]["taskArn"])

    def follow(self, task_arn: str, echo: Callable[[str], None], poll_seconds: float = 5.0) -> int:
        """Echo the task's log lines until it stops; its exit status. Ctrl-C stops the task."""
        stream = log_stream(self.outputs, task_arn)
        token: str | None = None
        try:
            while True:
                [task] = self.ecs.describe_tasks(
                    cluster=self.outputs.cluster_arn, tasks=[task_arn]
                )["tasks"]
                stopped = task["lastStatus"] == "STOPPED"
                token = self._echo_new_lines(stream, token, echo)
                if stopped:
                    return exit_status(task, self.outputs.training_container)
                time.sleep(poll_seconds)
        except KeyboardInterrupt:
            self.ecs.stop_task(
                cluster=self.outputs.cluster_arn, task=task_arn, reason="stopped by Ctrl-C"
            )
            raise

    def _echo_new_lines(
        self, stream: str, token: str | None, echo: Callable[[str], None]
    ) -> str | None:
        """Echo the events after `token`; the token to read on from."""
        arguments = {"logGroupName": self.outputs.log_group, "logStreamName": stream}
        while True:
            try:
                page = self.logs.get_log_events(
                    **arguments, **({"nextToken": token} if token else {"startFromHead": True})
                )
            except self.logs.exceptions.ResourceNotFoundException:
                return token  # the container has not written yet
            for event in page["events"]:
                echo(event["message"])
            if page["nextForwardToken"] == token:
                return token
            token = page["nextForwardToken"]


def training_environment(data: str | None, prefix: str) -> dict[str, str]:
    """The variables that point this run's training at other data (an s3:// glob)."""
    return {} if data is None else {f"{prefix}TRAINING_DATA": json.dumps([data])}
