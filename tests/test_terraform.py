"""Terraform component: the stacks' structure (python-hcl2), `terraform fmt` and checkov, for every
combination with Terraform on."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import hcl2
import pytest

from .template import (
    bake_cookies,
    combination_id,
    is_valid_combination,
    require_tools,
    toggle_combinations,
    tool_environment,
)

WITH_TERRAFORM = [
    toggles
    for toggles in toggle_combinations()
    if toggles["use_terraform"] and is_valid_combination(toggles)
]
STACKS = ("infra", "infra/bootstrap")
CHECKOV = ["uvx", "--from", "checkov==3.3.30", "checkov"]
# The only actions that may apply to every resource: they cannot be scoped to one.
UNSCOPABLE_ACTIONS = {"ecr:GetAuthorizationToken", "sts:AssumeRoleWithWebIdentity"}
HCL = hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False)


def parse_stack(folder: Path) -> dict[str, list[Any]]:
    """Every top-level block of a stack's `*.tf` files, by kind (resource, data, variable...)."""
    blocks: dict[str, list[Any]] = {}
    for path in sorted(folder.glob("*.tf")):
        with path.open(encoding="utf-8") as handle:
            for kind, entries in hcl2.load(handle, serialization_options=HCL).items():
                blocks.setdefault(kind, []).extend(entries)
    return blocks


def named(blocks: dict[str, list[Any]], kind: str, type_: str) -> dict[str, dict[str, Any]]:
    """The blocks of one type (e.g. resources of type aws_s3_bucket), by name."""
    found: dict[str, dict[str, Any]] = {}
    for entry in blocks.get(kind, []):
        found |= entry.get(type_, {})
    return found


def configuration_of(blocks: dict[str, list[Any]], type_: str, bucket: str) -> dict[str, Any]:
    """The one resource of `type_` that configures `bucket` (a reference to its id)."""
    [match] = [
        block for block in named(blocks, "resource", type_).values() if block["bucket"] == bucket
    ]
    return match


def statements(blocks: dict[str, list[Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, document in named(blocks, "data", "aws_iam_policy_document").items():
        for statement in document.get("statement", []):
            yield name, statement


@pytest.fixture(params=WITH_TERRAFORM, ids=combination_id)
def stacks(cookies: Any, request: pytest.FixtureRequest) -> dict[str, dict[str, list[Any]]]:
    project = bake_cookies(cookies, **request.param)
    return {stack: parse_stack(project / stack) for stack in STACKS}


def test_every_variable_is_typed_described_and_validated(
    stacks: dict[str, dict[str, list[Any]]],
) -> None:
    for stack, blocks in stacks.items():
        for entry in blocks["variable"]:
            for name, variable in entry.items():
                where = f"{stack}: variable {name}"
                assert variable.get("type"), where
                assert variable.get("description"), where
                if variable["type"] != "bool":
                    assert variable.get("validation"), where


def test_every_bucket_is_versioned_encrypted_private_and_tls_only(
    stacks: dict[str, dict[str, list[Any]]],
) -> None:
    for stack, blocks in stacks.items():
        buckets = named(blocks, "resource", "aws_s3_bucket")
        assert buckets, stack
        for name in buckets:
            where = f"{stack}: bucket {name}"
            configuration = partial(
                configuration_of, blocks, bucket=f"${{aws_s3_bucket.{name}.id}}"
            )
            versioning = configuration("aws_s3_bucket_versioning")
            assert versioning["versioning_configuration"][0]["status"] == "Enabled", where
            encryption = configuration("aws_s3_bucket_server_side_encryption_configuration")
            default = encryption["rule"][0]["apply_server_side_encryption_by_default"][0]
            assert default["sse_algorithm"] == "aws:kms", where
            private = configuration("aws_s3_bucket_public_access_block")
            for setting in ("block_public_acls", "block_public_policy"):
                assert private[setting] is True, where
            for setting in ("ignore_public_acls", "restrict_public_buckets"):
                assert private[setting] is True, where
            assert configuration("aws_s3_bucket_lifecycle_configuration")["rule"], where
            policy = configuration("aws_s3_bucket_policy")["policy"]
            document = policy.removeprefix("${data.aws_iam_policy_document.").split(".")[0]
            [deny] = named(blocks, "data", "aws_iam_policy_document")[document]["statement"]
            assert deny["effect"] == "Deny", where
            assert deny["condition"][0]["variable"] == "aws:SecureTransport", where


def test_no_policy_grants_every_action_or_every_resource(
    stacks: dict[str, dict[str, list[Any]]],
) -> None:
    for stack, blocks in stacks.items():
        for document, statement in statements(blocks):
            where = f"{stack}: {document} {statement.get('sid', '')}"
            actions = statement.get("actions", [])
            assert "*" not in actions, where
            assert not any(action.endswith(":*") for action in actions) or (
                statement.get("effect") == "Deny" or document.endswith("_key")
            ), where
            if "*" in statement.get("resources", []) and not document.endswith("_key"):
                assert set(actions) <= UNSCOPABLE_ACTIONS, where


def test_resources_are_tagged_and_the_provider_is_pinned(
    stacks: dict[str, dict[str, list[Any]]],
) -> None:
    for stack, blocks in stacks.items():
        [provider] = [entry["aws"] for entry in blocks["provider"]]
        tags = provider["default_tags"][0]["tags"]
        assert {"Project", "ManagedBy"} <= set(tags), stack
        [settings] = blocks["terraform"]
        assert settings["required_version"] == ">= 1.10", stack
        version = settings["required_providers"][0]["aws"]["version"]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{stack}: aws provider {version}"


def test_the_image_repository_is_immutable_and_scanned(
    stacks: dict[str, dict[str, list[Any]]],
) -> None:
    [repository] = named(stacks["infra/bootstrap"], "resource", "aws_ecr_repository").values()
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert repository["image_scanning_configuration"][0]["scan_on_push"] is True
    assert named(stacks["infra/bootstrap"], "resource", "aws_ecr_lifecycle_policy")


def test_the_api_task_can_read_only_the_model_prefix(
    stacks: dict[str, dict[str, list[Any]]],
) -> None:
    document = named(stacks["infra"], "data", "aws_iam_policy_document")["read_models"]
    actions = {action for statement in document["statement"] for action in statement["actions"]}
    assert actions == {"s3:ListBucket", "s3:GetObject", "kms:Decrypt"}
    [read] = [
        statement for statement in document["statement"] if "s3:GetObject" in statement["actions"]
    ]
    assert read["resources"] == ["${aws_s3_bucket.models.arn}/models/*"]


@pytest.mark.real
@pytest.mark.parametrize("toggles", WITH_TERRAFORM, ids=combination_id)
def test_terraform_fmt_and_checkov_pass(cookies: Any, toggles: dict[str, bool]) -> None:
    require_tools("terraform", "uvx")
    project = bake_cookies(cookies, **toggles)
    environment = tool_environment() | {"TF_CLI_CONFIG_FILE": os.devnull}
    fmt = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "-diff", "infra"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr

    scan = subprocess.run(
        [*CHECKOV, "-d", "infra", "--framework", "terraform", "--skip-download", "-o", "json"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(scan.stdout)
    failed = [
        (check["check_id"], check["resource"]) for check in report["results"]["failed_checks"]
    ]
    assert failed == []
    assert report["summary"]["parsing_errors"] == 0
    for skipped in report["results"]["skipped_checks"]:
        reason = skipped["check_result"].get("suppress_comment", "")
        assert len(reason) > 20, f"{skipped['check_id']} is skipped without a reason"
