"""The ephemeral Dask cluster on AWS Fargate (`DASK_CLUSTER=fargate`): dask-cloudprovider's
FargateCluster in this environment's ECS cluster, with the task definitions, roles, subnets,
security group and log group of infra/scale.tf. It creates nothing else in AWS: no cluster, role,
security group, log group or task definition of its own, and no account-wide clean-up."""

from __future__ import annotations

import gc
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .terraform import TerraformOutputs, load_outputs

if TYPE_CHECKING:
    from distributed.deploy.spec import SpecCluster

# The ports that infra/scale.tf's security group opens between the tasks: the scheduler (8786)
# and its dashboard (8787) are Dask's defaults; each worker and its nanny get fixed ones.
WORKER_PORT = 8788
NANNY_PORT = 8789
LOG_STREAM_PREFIX = "dask"  # the task definitions' awslogs-stream-prefix
FARGATE_WORKERS = 4  # without DASK_WORKERS
# A scheduler that nobody uses for this long stops itself (and its workers), should the client
# die without tearing the cluster down.
IDLE_TIMEOUT = "15 minutes"


class FargateError(OSError):
    """The Fargate cluster did not start, in one line: an OSError, which the commands report like
    any unreachable storage."""


def cluster_arguments(
    outputs: TerraformOutputs, workers: int, *, private_ip: bool = False
) -> dict[str, Any]:
    """FargateCluster's keyword arguments for `workers` workers. With `private_ip`, the client
    reaches the scheduler at its private address (a client inside the VPC); otherwise at its
    public one, which the security group opens to the networks in dask_client_cidrs only."""
    if workers < 1:
        raise ValueError(f"a Fargate cluster needs at least one worker, not {workers}")
    return {
        "region_name": outputs.region,
        "cluster_arn": outputs.cluster_arn,
        "vpc": outputs.vpc_id,
        "subnets": outputs.subnet_ids,
        "security_groups": [outputs.security_group_id],
        "fargate_use_private_ip": private_ip,
        "execution_role_arn": outputs.execution_role_arn,
        "task_role_arn": outputs.worker_role_arn,
        "scheduler_task_definition_arn": outputs.scheduler_task_definition,
        "worker_task_definition_arn": outputs.worker_task_definition,
        # The worker task's size: FargateCluster turns it into --nthreads and --memory-limit.
        "worker_cpu": outputs.worker_cpu,
        "worker_mem": outputs.worker_memory,
        "worker_extra_args": [
            "--worker-port",
            str(WORKER_PORT),
            "--nanny-port",
            str(NANNY_PORT),
            "--no-dashboard",
        ],
        "n_workers": workers,
        "scheduler_timeout": IDLE_TIMEOUT,
        "cloudwatch_logs_group": outputs.log_group,
        "cloudwatch_logs_stream_prefix": LOG_STREAM_PREFIX,
        "skip_cleanup": True,  # its clean-up deletes resources across the whole account
    }


def fargate_cluster(outputs_file: Path, workers: int, *, private_ip: bool = False) -> SpecCluster:
    """Start the cluster in the environment that `outputs_file` describes: the scheduler task,
    then the workers (this calls AWS and waits). Closing it stops every task it started; a
    cluster that fails to start stops what it started itself."""
    outputs = load_outputs(outputs_file)
    from botocore.exceptions import BotoCoreError, ClientError
    from dask_cloudprovider.aws import FargateCluster

    with warnings.catch_warnings():
        # One that failed before starting a task warns, when collected, that it was never closed.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            cluster: SpecCluster = FargateCluster(
                **cluster_arguments(outputs, workers, private_ip=private_ip)
            )
        except (BotoCoreError, ClientError, RuntimeError, TimeoutError) as error:
            problem = f"the Fargate cluster did not start: {error}"
        else:
            return cluster
        gc.collect()
    raise FargateError(problem)
