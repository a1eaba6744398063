"""A `terraform output -json` document of an applied infra/scale.tf, as Terraform writes it."""

import json
from pathlib import Path
from typing import Any

ACCOUNT = "123456789012"
REGION = "{{ cookiecutter.aws_region }}"
PROJECT = "{{ cookiecutter.project_slug }}"
NAME = f"{PROJECT}-staging"  # infra's local.name
ROLES = f"arn:aws:iam::{ACCOUNT}:role/{PROJECT}/{NAME}-"
TASKS = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{NAME}-"
BUCKET = f"{NAME}-models-{ACCOUNT}"
SCALE: dict[str, Any] = {
    "region": REGION,
    "cluster_arn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{NAME}",
    "vpc_id": "vpc-0a1b2c3d4e5f60718",
    "subnet_ids": ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"],
    "security_group_id": "sg-0123456789abcdef0",
    "execution_role_arn": f"{ROLES}execution",
    "worker_role_arn": f"{ROLES}dask-worker",
    "scheduler_task_definition": f"{TASKS}dask-scheduler:3",
    "worker_task_definition": f"{TASKS}dask-worker:3",
    "worker_cpu": 2048,
    "worker_memory": 8192,
    "training_task_definition": f"{TASKS}train:3",
    "training_container": "train",
    "log_group": f"/{PROJECT}/staging/scale",
    "training_data": f"s3://{BUCKET}/data/",
    "batch_input": f"s3://{BUCKET}/batch/input/",
    "batch_output": f"s3://{BUCKET}/batch/output/",
}


def write_outputs(path: Path, scale: dict[str, Any] | None = None) -> Path:
    """Save the document at `path`, with the `scale` output's value replaced if given."""
    document = {
        "model_store": {"sensitive": False, "type": "string", "value": f"s3://{BUCKET}/models"},
        "scale": {"sensitive": False, "type": ["object", {}], "value": scale or SCALE},
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
