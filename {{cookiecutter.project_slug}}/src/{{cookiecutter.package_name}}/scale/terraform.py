"""Where the scale tasks run on AWS: the `scale` output of infra/scale.tf, read from the file that
`terraform output -json` wrote (`make scale-outputs ENV=...`)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

DEFAULT_OUTPUTS = Path("infra/outputs.json")
OUTPUT = "scale"  # the output of infra/scale.tf


class TerraformOutputsError(OSError):
    """The Terraform outputs are missing or not what infra/scale.tf writes, in one line: an
    OSError, which the commands report like any unreadable file."""


class TerraformOutputs(BaseModel):
    """The `scale` output of infra/scale.tf, field for field."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    region: str
    cluster_arn: str
    vpc_id: str
    subnet_ids: list[str]
    security_group_id: str
    execution_role_arn: str
    worker_role_arn: str
    scheduler_task_definition: str
    worker_task_definition: str
    worker_cpu: int
    worker_memory: int
    training_task_definition: str
    training_container: str
    log_group: str
    training_data: str
    batch_input: str
    batch_output: str


def load_outputs(path: Path = DEFAULT_OUTPUTS) -> TerraformOutputs:
    """The `scale` output in the JSON document of `terraform output -json` saved at `path`."""
    hint = "save them with `make scale-outputs ENV=staging` (terraform output -json)"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TerraformOutputsError(f"{path}: no Terraform outputs; {hint}") from None
    except (OSError, ValueError) as error:
        message = f"{path}: unreadable Terraform outputs ({error}); {hint}"
        raise TerraformOutputsError(message) from None
    if not isinstance(document, dict) or not isinstance(document.get(OUTPUT), dict):
        message = f"{path}: no `{OUTPUT}` output; apply infra/scale.tf, then {hint}"
        raise TerraformOutputsError(message)
    try:
        return TerraformOutputs.model_validate(document[OUTPUT].get("value"))
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, problem['loc'])) or 'value'}: {problem['msg']}"
            for problem in error.errors()
        )
        message = f"{path}: the `{OUTPUT}` output is not infra/scale.tf's ({problems})"
        raise TerraformOutputsError(message) from None
