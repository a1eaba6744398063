"""Terraform component: the stacks' structure (python-hcl2), their security model (IAM, secrets,
what the load balancer exposes), `terraform fmt` and checkov, for every combination with
Terraform on."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, NamedTuple

import hcl2
import pytest

from .template import (
    answers,
    bake_cookies,
    combination_id,
    covering_set,
    is_valid_combination,
    require_tools,
    toggle_combinations,
    tool_environment,
)

# Every pair of toggle values with Terraform on: parsing and checkov on every combination is slow.
WITH_TERRAFORM = covering_set(
    [
        toggles
        for toggles in toggle_combinations()
        if toggles["use_terraform"] and is_valid_combination(toggles)
    ]
)
STACKS = ("infra", "infra/bootstrap")
MODULES = ("infra/modules/bucket", "infra/modules/ecs-service", "infra/modules/ecs-task")
CHECKOV = ["uvx", "--from", "checkov==3.3.30", "checkov"]
HCL = hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False)
ENV_PREFIX = answers()["package_name"].upper() + "_"

# The only actions that may apply to every resource ("*"): AWS cannot scope them to one.
UNSCOPABLE_ACTIONS = {
    "sts:AssumeRoleWithWebIdentity",
    "ecr:GetAuthorizationToken",
    "ecs:RegisterTaskDefinition",
    "ecs:DeregisterTaskDefinition",
    "kms:CreateKey",  # only with the project's tag in the request
    "kms:TagResource",  # likewise
    "application-autoscaling:DeleteScalingPolicy",
    "application-autoscaling:DeregisterScalableTarget",
    "application-autoscaling:PutScalingPolicy",
    "application-autoscaling:RegisterScalableTarget",
    "application-autoscaling:TagResource",
    "application-autoscaling:UntagResource",
    # Reading configuration, for terraform plan: never an object, a secret value or a parameter.
    "application-autoscaling:Describe*",
    "application-autoscaling:ListTagsForResource",
    "cloudwatch:DescribeAlarms",
    "ec2:Describe*",
    "ecs:Describe*",
    "ecs:List*",
    "elasticloadbalancing:Describe*",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListResourceTags",
    "logs:Describe*",
    "logs:ListTagsForResource",
    "logs:ListTagsLogGroup",
}
# IAM writes that can widen what a role may do: AWS passes iam:PermissionsBoundary for each.
BOUNDED_IAM_WRITES = {
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
}
# IAM writes that AWS gives no boundary to test: allowed on the environments' role path only.
PATH_CONFINED_IAM_WRITES = {
    "iam:DeleteRole",
    "iam:PassRole",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
}
# A sample of what a bounded role must never do, to test the Deny statements against.
IAM_ESCALATIONS = (
    "iam:AttachRolePolicy",
    "iam:CreateAccessKey",
    "iam:CreatePolicyVersion",
    "iam:CreateRole",
    "iam:CreateUser",
    "iam:DeletePolicy",
    "iam:DeleteRolePermissionsBoundary",
    "iam:PassRole",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
)
ADMIN_GRADE_POLICIES = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")

# Values that the tests substitute for Terraform's interpolations, to read ARNs as AWS would.
ACCOUNT = "123456789012"
PROJECT = "proj"
INTERPOLATIONS = {
    "${data.aws_caller_identity.current.account_id}": ACCOUNT,
    "${local.account_id}": ACCOUNT,
    "${local.region_and_account}": f"eu-west-1:{ACCOUNT}",
    "${local.role_path}": f"/{PROJECT}/",
    "${var.aws_region}": "eu-west-1",
    "${var.project}": PROJECT,
}


class Project(NamedTuple):
    path: Path
    toggles: dict[str, bool]
    stacks: dict[str, dict[str, list[Any]]]  # folder -> blocks, for the stacks and the modules


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


def module_calls(blocks: dict[str, list[Any]]) -> dict[str, dict[str, Any]]:
    return {name: call for entry in blocks.get("module", []) for name, call in entry.items()}


def variables_of(blocks: dict[str, list[Any]]) -> dict[str, dict[str, Any]]:
    return {name: variable for entry in blocks["variable"] for name, variable in entry.items()}


def locals_of(blocks: dict[str, list[Any]]) -> dict[str, Any]:
    return {name: value for entry in blocks.get("locals", []) for name, value in entry.items()}


def resolve(text: str) -> str:
    """An ARN pattern with the interpolations that the tests know replaced."""
    for interpolation, value in INTERPOLATIONS.items():
        text = text.replace(interpolation, value)
    return text


def statements(blocks: dict[str, list[Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, document in named(blocks, "data", "aws_iam_policy_document").items():
        for statement in document.get("statement", []):
            yield name, statement


def allows(statement: dict[str, Any]) -> bool:
    return bool(statement.get("effect", "Allow") == "Allow")


def conditions(statement: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """A statement's conditions: variable -> (test, values)."""
    return {
        condition["variable"]: (condition["test"], condition["values"])
        for condition in statement.get("condition", [])
    }


def is_iam_write(action: str) -> bool:
    verb = action.split(":", 1)[1]
    return action.startswith("iam:") and not verb.startswith(("Get", "List"))


def document_of(reference: str) -> str:
    """The policy document that `${data.aws_iam_policy_document.NAME.json}` names."""
    match = re.fullmatch(r"\$\{data\.aws_iam_policy_document\.(\w+)\.json\}", reference)
    assert match, f"not a policy document: {reference}"
    return match.group(1)


def policies_of(blocks: dict[str, list[Any]], role: str) -> tuple[list[str], list[str]]:
    """The policy documents and the AWS managed policy ARNs that apply to a role of `blocks`."""
    reference = re.compile(rf"\$\{{aws_iam_role\.{role}\.(id|name)\}}")
    documents: list[str] = []
    managed: list[str] = []
    for type_, key in (("aws_iam_role_policy", "policy"), ("aws_iam_role_policy_attachment", "")):
        for block in named(blocks, "resource", type_).values():
            pairs = block.get("for_each", {}) or {"": block["role"]}
            targets = pairs.values() if block["role"] == "${each.value}" else [block["role"]]
            if not any(reference.fullmatch(target) for target in targets):
                continue
            if key:
                documents.append(document_of(block[key]))
                continue
            arns = (
                pairs.values() if block["policy_arn"] == "${each.value}" else [block["policy_arn"]]
            )
            for arn in arns:
                policy = re.fullmatch(r"\$\{aws_iam_policy\.(\w+)\.arn\}", arn)
                if policy:
                    documents.append(
                        document_of(
                            named(blocks, "resource", "aws_iam_policy")[policy[1]]["policy"]
                        )
                    )
                else:
                    managed.append(arn)
    return documents, managed


def github_roles(bootstrap: dict[str, list[Any]]) -> dict[str, str]:
    """The roles that GitHub jobs assume, by name: their ARN as AWS spells it."""
    return {
        name: f"arn:aws:iam::{ACCOUNT}:role{role.get('path', '/')}{resolve(role['name'])}"
        for name, role in named(bootstrap, "resource", "aws_iam_role").items()
        if "aws_iam_policy_document.trust[" in role["assume_role_policy"]
    }


def expected_github_trust(toggles: dict[str, bool]) -> dict[str, list[str]]:
    """The GitHub roles and the events each trusts; experiments only pull requests, as plan."""
    trust = {
        "push": ["${local.github}:ref:refs/heads/main", "${local.github}:ref:refs/tags/v*"],
        "plan": ["${local.github}:pull_request"],
        "deploy": ["${local.github}:environment:staging", "${local.github}:environment:prod"],
    }
    if toggles["use_mlflow"]:
        trust["experiments"] = ["${local.github}:pull_request"]
    if toggles["use_monitoring"]:
        trust["monitor"] = ["${local.github}:ref:refs/heads/main"]
    return trust


@pytest.fixture(scope="module", params=WITH_TERRAFORM, ids=combination_id)
def project(cookies_session: Any, request: pytest.FixtureRequest) -> Project:
    """One baked project per combination, read by every structural test (they change nothing)."""
    path = bake_cookies(cookies_session, **request.param)
    folders = [folder for folder in STACKS + MODULES if (path / folder).is_dir()]
    return Project(path, request.param, {folder: parse_stack(path / folder) for folder in folders})


def test_every_variable_is_typed_described_and_validated(project: Project) -> None:
    for stack, blocks in project.stacks.items():
        for entry in blocks["variable"]:
            for name, variable in entry.items():
                where = f"{stack}: variable {name}"
                assert variable.get("type"), where
                assert variable.get("description"), where
                if variable["type"] != "bool":
                    assert variable.get("validation"), where


def test_every_bucket_is_the_bucket_module(project: Project) -> None:
    for stack in STACKS:
        blocks = project.stacks[stack]
        assert not named(blocks, "resource", "aws_s3_bucket"), stack
        sources = {call["source"] for call in module_calls(blocks).values()}
        assert any(source.endswith("modules/bucket") for source in sources), stack


def test_the_bucket_module_is_versioned_encrypted_private_and_tls_only(project: Project) -> None:
    blocks = project.stacks["infra/modules/bucket"]

    def configuration(type_: str) -> dict[str, Any]:
        [block] = named(blocks, "resource", type_).values()
        assert block["bucket"] == "${aws_s3_bucket.this.id}", type_
        return block

    versioning = configuration("aws_s3_bucket_versioning")
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"
    encryption = configuration("aws_s3_bucket_server_side_encryption_configuration")
    default = encryption["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert default["sse_algorithm"] == "aws:kms"
    private = configuration("aws_s3_bucket_public_access_block")
    for setting in (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ):
        assert private[setting] is True, setting
    assert configuration("aws_s3_bucket_lifecycle_configuration")["rule"]
    policy = configuration("aws_s3_bucket_policy")["policy"]
    [deny] = named(blocks, "data", "aws_iam_policy_document")[document_of(policy)]["statement"]
    assert deny["effect"] == "Deny"
    assert deny["condition"][0]["variable"] == "aws:SecureTransport"


def test_no_policy_grants_every_action_or_every_resource(project: Project) -> None:
    for stack, blocks in project.stacks.items():
        for document, statement in statements(blocks):
            where = f"{stack}: {document} {statement.get('sid', '')}"
            actions = statement.get("actions", [])
            assert "*" not in actions, where
            assert not any(action.endswith(":*") for action in actions) or (
                statement.get("effect") == "Deny" or document.endswith("_key")
            ), where
            resources = statement.get("resources", [])  # a list, or one expression
            if isinstance(resources, list) and "*" in resources and allows(statement):
                assert document.endswith("_key") or set(actions) <= UNSCOPABLE_ACTIONS, where


def test_no_admin_grade_managed_policy_is_attached_anywhere(project: Project) -> None:
    for stack, blocks in project.stacks.items():
        for block in named(blocks, "resource", "aws_iam_role_policy_attachment").values():
            arns = [block["policy_arn"], *block.get("for_each", {}).values()]
            for arn in arns:
                assert not arn.startswith("arn:aws:iam::aws:policy/"), f"{stack}: {arn}"
                assert not arn.endswith(ADMIN_GRADE_POLICIES), f"{stack}: {arn}"
        for role in named(blocks, "resource", "aws_iam_role").values():
            assert "managed_policy_arns" not in role, stack


def test_every_iam_write_is_bounded_or_confined_to_the_environments_roles(
    project: Project,
) -> None:
    role_path = f"arn:aws:iam::{ACCOUNT}:role/{PROJECT}/*"
    for stack, blocks in project.stacks.items():
        for document, statement in statements(blocks):
            if not allows(statement):
                continue
            where = f"{stack}: {document} {statement.get('sid', '')}"
            writes = {action for action in statement["actions"] if is_iam_write(action)}
            if not writes:
                continue
            resources = [resolve(resource) for resource in statement["resources"]]
            tests = conditions(statement)
            if writes <= BOUNDED_IAM_WRITES:
                assert tests["iam:PermissionsBoundary"] == (
                    "StringEquals",
                    ["${aws_iam_policy.boundary.arn}"],
                ), where
                assert resources == [role_path], where
            elif writes <= PATH_CONFINED_IAM_WRITES:
                assert all(fnmatchcase(r, role_path) for r in resources), where
                if "iam:PassRole" in writes:
                    assert writes == {"iam:PassRole"}, where
                    assert tests["iam:PassedToService"][0] == "StringEquals", where
            else:
                assert writes == {"iam:CreateServiceLinkedRole"}, where
                test, services = tests["iam:AWSServiceName"]
                assert test == "StringEquals" and all(
                    service.endswith(".amazonaws.com") for service in services
                ), where


def test_the_boundary_denies_iam_changes_and_the_deploy_role_keeps_it(project: Project) -> None:
    bootstrap = project.stacks["infra/bootstrap"]
    documents = named(bootstrap, "data", "aws_iam_policy_document")
    boundary = named(bootstrap, "resource", "aws_iam_policy")["boundary"]
    assert resolve(boundary["name"]) == f"{PROJECT}-workload-boundary"
    denied = [
        (pattern, statement["resources"])
        for statement in documents[document_of(boundary["policy"])]["statement"]
        if not allows(statement)
        for pattern in statement["actions"]
    ]
    for action in IAM_ESCALATIONS:
        assert any(fnmatchcase(action, pattern) and on == ["*"] for pattern, on in denied), action
    for statement in documents[document_of(boundary["policy"])]["statement"]:
        assert not any(action.startswith(("iam:", "sts:")) for action in statement["actions"]) or (
            not allows(statement)
        )

    deploy, _ = policies_of(bootstrap, "deploy")
    deploy_denies = {
        (action, resource)
        for document in deploy
        for statement in documents[document]["statement"]
        if not allows(statement)
        for action in statement["actions"]
        for resource in statement["resources"]
    }
    assert ("iam:DeleteRolePermissionsBoundary", "*") in deploy_denies
    for action in ("iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:SetDefaultPolicyVersion"):
        assert (action, "arn:aws:iam::${local.account_id}:policy/${var.project}-*") in deploy_denies
    for policy in named(bootstrap, "resource", "aws_iam_policy").values():
        assert fnmatchcase(resolve(policy["name"]), f"{PROJECT}-*")


def test_every_role_of_the_environments_carries_the_boundary(project: Project) -> None:
    infra, bootstrap = project.stacks["infra"], project.stacks["infra/bootstrap"]
    settings = locals_of(infra)
    assert resolve(settings["permissions_boundary"]) == (
        f"arn:aws:iam::{ACCOUNT}:policy/{PROJECT}-workload-boundary"
    )
    assert settings["role_path"] == locals_of(bootstrap)["role_path"] == "/${var.project}/"
    roles = named(infra, "resource", "aws_iam_role")
    assert roles
    for name, role in roles.items():
        assert role["permissions_boundary"] == "${local.permissions_boundary}", name
        assert role["path"] == "${local.role_path}", name
    [task_role] = named(
        project.stacks["infra/modules/ecs-service"], "resource", "aws_iam_role"
    ).values()
    assert task_role["permissions_boundary"] == "${var.permissions_boundary}"
    assert task_role["path"] == "${var.role_path}"
    services = {
        name: call
        for name, call in module_calls(infra).items()
        if call["source"] == "./modules/ecs-service"
    }
    assert "api" in services
    for name, call in services.items():
        assert call["permissions_boundary"] == "${local.permissions_boundary}", name
        assert call["role_path"] == "${local.role_path}", name


def test_no_github_role_can_change_itself(project: Project) -> None:
    bootstrap = project.stacks["infra/bootstrap"]
    roles = github_roles(bootstrap)
    assert set(roles) == set(expected_github_trust(project.toggles))
    for stack in STACKS:
        for document, statement in statements(project.stacks[stack]):
            writes = [action for action in statement["actions"] if is_iam_write(action)]
            if not writes or not allows(statement):
                continue
            for resource in map(resolve, statement["resources"]):
                assert "${" not in resource, f"{document}: {resource} cannot be checked"
                for role, arn in roles.items():
                    assert not fnmatchcase(arn, resource), f"{document} lets {writes} change {role}"
    deploy, _ = policies_of(bootstrap, "deploy")
    documents = named(bootstrap, "data", "aws_iam_policy_document")
    [never] = [
        statement
        for document in deploy
        for statement in documents[document]["statement"]
        if not allows(statement) and "${aws_iam_role.deploy.arn}" in statement["resources"]
    ]
    assert never["actions"] == ["iam:*"]
    assert set(never["resources"]) == {f"${{aws_iam_role.{role}.arn}}" for role in roles}


def test_each_github_role_trusts_only_this_repository_and_its_own_events(
    project: Project,
) -> None:
    bootstrap = project.stacks["infra/bootstrap"]
    assert locals_of(bootstrap)["github"] == "repo:${var.github_repository}"
    repository = variables_of(bootstrap)["github_repository"]
    pattern = repository["validation"][0]["condition"]
    assert "^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$" in pattern  # no wildcard can be given
    trust = named(bootstrap, "data", "aws_iam_policy_document")["trust"]
    assert trust["for_each"] == expected_github_trust(project.toggles)
    [statement] = trust["statement"]
    assert statement["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    tests = conditions(statement)
    assert tests["token.actions.githubusercontent.com:aud"] == (
        "StringEquals",
        ["sts.amazonaws.com"],
    )
    assert tests["token.actions.githubusercontent.com:sub"] == ("StringLike", "${each.value}")
    for name, role in named(bootstrap, "resource", "aws_iam_role").items():
        if name in trust["for_each"]:
            assert role["assume_role_policy"] == (
                f'${{data.aws_iam_policy_document.trust["{name}"].json}}'
            )


def test_the_plan_role_reads_no_data_and_writes_nothing(project: Project) -> None:
    bootstrap = project.stacks["infra/bootstrap"]
    documents, managed = policies_of(bootstrap, "plan")
    assert documents
    assert managed == []  # an AWS read-only policy reads every object and more of the account
    policies = named(bootstrap, "data", "aws_iam_policy_document")
    state = "${module.state_bucket.arn}"
    for document in documents:
        for statement in policies[document]["statement"]:
            where = f"{document} {statement.get('sid', '')}"
            assert allows(statement), where
            for action in statement["actions"]:
                assert not is_iam_write(action), where
                assert action not in ("secretsmanager:GetSecretValue", "ssm:GetParameter"), where
                if action.startswith("s3:"):
                    assert action.startswith(("s3:Get", "s3:List")), where
                if action.startswith("kms:"):
                    assert action.startswith(
                        ("kms:Decrypt", "kms:Describe", "kms:Get", "kms:List")
                    ), where
                if action in ("s3:GetObject", "s3:GetObjectVersion"):
                    assert statement["resources"] == [f"{state}/*"], where


def task_secrets(toggles: dict[str, bool]) -> dict[str, str]:
    """The secrets that bootstrap creates and the API tasks read: block name -> the end of the
    secret's name."""
    secrets = {"api_key": "api-key"}
    if toggles["use_monitoring"]:
        secrets["signing_key"] = "prediction-signing-key"
    return secrets


def test_the_tasks_secrets_are_secrets_of_the_tasks_and_never_in_a_state(
    project: Project,
) -> None:
    infra, bootstrap = project.stacks["infra"], project.stacks["infra/bootstrap"]
    secrets = task_secrets(project.toggles)
    arn = {name: f"${{data.aws_secretsmanager_secret.{name}.arn}}" for name in secrets}
    variables = {
        "api_key": f"{ENV_PREFIX}API_KEY",
        "signing_key": f"{ENV_PREFIX}MONITORING_SIGNING_KEY",
    }
    expected = {"api": {variables[name]: arn[name] for name in secrets}}
    if project.toggles["use_streamlit"]:
        expected["demo"] = {f"{ENV_PREFIX}DEMO_API_KEY": arn["api_key"]}
    calls = module_calls(infra)
    for service, service_secrets in expected.items():
        assert calls[service]["secrets"] == service_secrets, service
        assert not any("KEY" in name for name in calls[service].get("environment", {})), service
    definition = named(
        project.stacks["infra/modules/ecs-service"], "resource", "aws_ecs_task_definition"
    )
    assert "secrets = [for name, arn in var.secrets : {name = name, valueFrom = arn}]" in (
        definition["this"]["container_definitions"]
    )
    execution = named(infra, "data", "aws_iam_policy_document")["execution"]["statement"]
    reads = [
        statement
        for statement in execution
        if "secretsmanager:GetSecretValue" in statement["actions"]
    ]
    assert [statement["resources"] for statement in reads] == [list(arn.values())]

    versions = named(bootstrap, "resource", "aws_secretsmanager_secret_version")
    blocks = named(bootstrap, "resource", "aws_secretsmanager_secret")
    assert set(versions) == set(blocks) == set(secrets)
    for name, ending in secrets.items():
        assert "secret_string" not in versions[name]
        assert versions[name]["secret_string_wo"].startswith(
            f"${{ephemeral.aws_secretsmanager_random_password.{name}["
        )
        assert blocks[name]["name"] == f"${{var.project}}/${{each.key}}/{ending}"
        assert named(infra, "data", "aws_secretsmanager_secret")[name]["name"] == (
            f"${{var.project}}/${{var.environment}}/{ending}"
        )


def test_metrics_never_reach_the_public_listeners(project: Project) -> None:
    infra = project.stacks["infra"]
    for name, listener in named(infra, "resource", "aws_lb_listener").items():
        for action in listener["default_action"]:
            assert "forward" not in action["type"], name  # only rules forward
    assert locals_of(infra)["listener_arn"] == (
        "${local.https ? aws_lb_listener.https[0].arn : aws_lb_listener.http.arn}"
    )
    rules = named(infra, "resource", "aws_lb_listener_rule")
    blocks = [
        rule
        for rule in rules.values()
        if rule["condition"][0]["path_pattern"][0]["values"] == ["/metrics", "/metrics/*"]
    ]
    assert len(blocks) == 1
    [block] = blocks
    assert block["listener_arn"] == "${local.listener_arn}"
    assert block["action"][0]["type"] == "fixed-response"
    assert block["action"][0]["fixed_response"][0]["status_code"] == "404"
    forwarding = [
        rule["priority"]
        for call in module_calls(infra).values()
        for rule in call.get("listener_rules", [])
        if isinstance(rule, dict)
    ]
    assert forwarding and all(block["priority"] < priority for priority in forwarding)
    default = variables_of(infra)["api_paths"]["default"]
    assert not any(fnmatchcase("/metrics", path) for path in default), default


def test_the_demo_is_closed_unless_networks_are_allowed(project: Project) -> None:
    infra = project.stacks["infra"]
    if not project.toggles["use_streamlit"]:
        assert "demo" not in module_calls(infra)
        for path in (project.path / "infra").rglob("*.tf"):
            assert "demo" not in path.read_text(encoding="utf-8").lower(), path
        return
    allowed = variables_of(infra)["demo_allowed_cidrs"]
    assert allowed["default"] == []
    assert "length(var.demo_allowed_cidrs) <= 20" in allowed["validation"][0]["condition"]
    demo = module_calls(infra)["demo"]
    assert demo["count"] == "${length(var.demo_allowed_cidrs) > 0 ? 1 : 0}"  # no rule, no demo
    rules = demo["listener_rules"]
    assert "for index, cidr in var.demo_allowed_cidrs" in rules
    assert "priority = 11 + index" in rules and "source_ip = cidr" in rules
    closed = named(infra, "resource", "aws_lb_listener_rule")["demo_closed"]
    assert closed["priority"] > 11 + 20 - 1  # after every allowed network's rule
    assert closed["listener_arn"] == "${local.listener_arn}"
    assert closed["action"][0]["fixed_response"][0]["status_code"] == "403"
    assert closed["condition"][0]["path_pattern"][0]["values"] == ["/demo", "/demo/*"]


def test_plain_http_is_a_warning_in_every_plan(project: Project) -> None:
    infra = project.stacks["infra"]
    [check] = [entry["https"] for entry in infra.get("check", []) if "https" in entry]
    [assertion] = check["assert"]
    assert assertion["condition"] == "${local.https}"
    assert "certificate_arn" in assertion["error_message"]
    assert locals_of(infra)["https"] == '${var.certificate_arn != ""}'


def test_services_are_calls_of_the_service_module(project: Project) -> None:
    infra = project.stacks["infra"]
    for type_ in ("aws_ecs_service", "aws_ecs_task_definition", "aws_lb_target_group"):
        assert not named(infra, "resource", type_), type_
    services = {
        name
        for name, call in module_calls(infra).items()
        if call["source"] == "./modules/ecs-service"
    }
    assert services == ({"api", "demo"} if project.toggles["use_streamlit"] else {"api"})


def test_resources_are_tagged_and_the_provider_is_pinned(project: Project) -> None:
    required = {"infra": ">= 1.10", "infra/bootstrap": ">= 1.11"}  # write-only arguments
    for stack in STACKS:
        blocks = project.stacks[stack]
        [provider] = [entry["aws"] for entry in blocks["provider"]]
        tags = provider["default_tags"][0]["tags"]
        assert {"Project", "ManagedBy"} <= set(tags), stack
        [settings] = blocks["terraform"]
        assert settings["required_version"] == required[stack], stack
        version = settings["required_providers"][0]["aws"]["version"]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{stack}: aws provider {version}"


def test_the_image_repository_is_immutable_and_scanned(project: Project) -> None:
    bootstrap = project.stacks["infra/bootstrap"]
    [repository] = named(bootstrap, "resource", "aws_ecr_repository").values()
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert repository["image_scanning_configuration"][0]["scan_on_push"] is True
    assert named(bootstrap, "resource", "aws_ecr_lifecycle_policy")


def test_the_api_task_reads_only_the_models_and_adds_only_to_the_prediction_log(
    project: Project,
) -> None:
    infra = project.stacks["infra"]
    documents = named(infra, "data", "aws_iam_policy_document")
    document = documents["read_models"]
    actions = {action for statement in document["statement"] for action in statement["actions"]}
    assert actions == {"s3:ListBucket", "s3:GetObject", "kms:Decrypt"}
    [read] = [
        statement for statement in document["statement"] if "s3:GetObject" in statement["actions"]
    ]
    assert read["resources"] == ["${module.models.arn}/models/*"]
    task_policy = module_calls(infra)["api"]["task_policy_json"]
    if not project.toggles["use_monitoring"]:
        assert task_policy == "${data.aws_iam_policy_document.read_models.json}"
        assert "api_task" not in documents
        return
    assert task_policy == "${data.aws_iam_policy_document.api_task.json}"
    api_task = documents["api_task"]
    assert api_task["source_policy_documents"] == [
        "${data.aws_iam_policy_document.read_models.json}"
    ]
    assert [
        (statement["actions"], statement["resources"], conditions(statement))
        for statement in api_task["statement"]
    ] == [
        (["s3:PutObject"], ["${module.models.arn}/prediction-log/*"], {}),
        (["kms:GenerateDataKey"], ["${aws_kms_key.models.arn}"], {}),
    ]
    environment = module_calls(infra)["api"]["environment"]
    assert environment[f"{ENV_PREFIX}MONITORING_LOG_URL"] == "${local.prediction_log}"
    assert locals_of(infra)["prediction_log"] == "s3://${module.models.id}/prediction-log"


def test_the_api_tasks_score_in_shadow_the_challenger_that_a_variable_names(
    project: Project, tmp_path: Path
) -> None:
    if not project.toggles["use_monitoring"]:
        pytest.skip("monitoring is off")
    require_tools("terraform")
    infra = project.stacks["infra"]
    environment = module_calls(infra)["api"]["environment"]
    assert environment[f"{ENV_PREFIX}MONITORING_CHALLENGER"] == "${var.challenger_version}"
    variable = variables_of(infra)["challenger_version"]
    assert variable["default"] == ""  # none: the API reads an empty challenger as none
    [validation] = variable["validation"]
    condition = validation["condition"].removeprefix("${").removesuffix("}")
    accepted = {
        "": True,
        "20261204-021705-0a1b2c": True,
        "latest": True,
        "../models": False,
        "a version": False,
    }
    for value, valid in accepted.items():
        expression = condition.replace("var.challenger_version", json.dumps(value))
        evaluated = subprocess.run(
            ["terraform", "console"],
            input=expression,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        assert evaluated.stdout.strip() == str(valid).lower(), value


def test_the_demo_task_reads_the_prediction_log_for_its_monitoring_page(project: Project) -> None:
    if not project.toggles["use_streamlit"]:
        pytest.skip("the demo is off")
    infra = project.stacks["infra"]
    demo = module_calls(infra)["demo"]
    if not project.toggles["use_monitoring"]:
        assert demo["task_policy_json"] == "${data.aws_iam_policy_document.read_models.json}"
        return
    assert demo["task_policy_json"] == "${data.aws_iam_policy_document.demo_task.json}"
    assert demo["environment"][f"{ENV_PREFIX}MONITORING_LOG_URL"] == "${local.prediction_log}"
    demo_task = named(infra, "data", "aws_iam_policy_document")["demo_task"]
    assert demo_task["source_policy_documents"] == [
        "${data.aws_iam_policy_document.read_models.json}"
    ]
    assert [
        (statement["actions"], statement["resources"], conditions(statement))
        for statement in demo_task["statement"]
    ] == [
        (
            ["s3:ListBucket"],
            ["${module.models.arn}"],
            {"s3:prefix": ("StringLike", ["prediction-log", "prediction-log/*"])},
        ),
        (["s3:GetObject"], ["${module.models.arn}/prediction-log/*"], {}),
    ]


def test_the_monitor_role_only_reads_prods_prediction_log_and_models(project: Project) -> None:
    if not project.toggles["use_monitoring"]:
        pytest.skip("monitoring is off")
    bootstrap = project.stacks["infra/bootstrap"]
    documents, managed = policies_of(bootstrap, "monitor")
    assert (documents, managed) == (["read_prediction_log"], [])
    bucket = "arn:aws:s3:::${var.project}-prod-models-${local.account_id}"
    granted = {
        action: statement["resources"]
        for statement in named(bootstrap, "data", "aws_iam_policy_document")[documents[0]][
            "statement"
        ]
        for action in statement["actions"]
    }
    assert granted == {
        "s3:ListBucket": [bucket],
        "s3:GetObject": [f"{bucket}/prediction-log/*", f"{bucket}/models/*"],
        "kms:Decrypt": ["arn:aws:kms:${local.region_and_account}:key/*"],
    }
    for name in github_roles(bootstrap):  # no other GitHub role reads the log's objects
        if name != "monitor":
            policy_documents = policies_of(bootstrap, name)[0]
            assert "read_prediction_log" not in policy_documents, name


def test_the_prediction_log_expires_and_nothing_else_does(project: Project) -> None:
    models = module_calls(project.stacks["infra"])["models"]
    bucket = named(
        project.stacks["infra/modules/bucket"], "resource", "aws_s3_bucket_lifecycle_configuration"
    )
    [expiring] = [rule for rule in bucket["this"]["dynamic"] if "rule" in rule]
    assert expiring["rule"]["for_each"] == "${var.expirations}"
    assert expiring["rule"]["content"][0]["filter"] == [{"prefix": "${rule.key}"}]
    assert expiring["rule"]["content"][0]["expiration"] == [{"days": "${rule.value}"}]
    if not project.toggles["use_monitoring"]:
        assert "expirations" not in models
        return
    assert models["expirations"] == {"prediction-log/": "${var.prediction_log_retention_days}"}
    variable = variables_of(project.stacks["infra"])["prediction_log_retention_days"]
    assert variable["default"] == 90


def test_the_sagemaker_plugin_is_a_group_of_its_own_outside_the_default_install(
    project: Project,
) -> None:
    settings = tomllib.loads((project.path / "pyproject.toml").read_text(encoding="utf-8"))
    groups = settings["dependency-groups"]
    default = settings["tool"]["uv"]["default-groups"]
    if not project.toggles["use_mlflow"]:
        assert "sagemaker" not in groups and default == "all"
        return
    assert groups["sagemaker"] == ["sagemaker-mlflow==0.5.0"]
    assert default == [group for group in groups if group != "sagemaker"]  # every other group


def test_without_mlflow_no_tracking_server_nor_its_rights_remain(project: Project) -> None:
    if project.toggles["use_mlflow"]:
        pytest.skip("MLflow is on: the tests below check its tracking server")
    for path in (project.path / "infra").rglob("*.tf"):
        assert "sagemaker" not in path.read_text(encoding="utf-8"), path


def test_the_tracking_server_keeps_its_artifacts_under_their_own_prefix(project: Project) -> None:
    if not project.toggles["use_mlflow"]:
        pytest.skip("MLflow is off")
    infra = project.stacks["infra"]
    [server] = named(infra, "resource", "aws_sagemaker_mlflow_tracking_server").values()
    assert server["tracking_server_name"] == "${local.name}"  # what bootstrap/ grants logging to
    assert server["artifact_store_uri"] == "s3://${module.models.id}/mlflow"
    assert server["role_arn"] == "${aws_iam_role.tracking_server.arn}"
    assert server["automatic_model_registration"] is False
    outputs = {name for entry in infra["output"] for name in entry}
    assert "mlflow_tracking_server_arn" in outputs

    documents = named(infra, "data", "aws_iam_policy_document")
    [trust] = documents["sagemaker_trust"]["statement"]
    assert trust["principals"][0]["identifiers"] == ["sagemaker.amazonaws.com"]
    assert conditions(trust)["aws:SourceAccount"] == ("StringEquals", ["${local.account_id}"])
    [policy] = [
        block
        for block in named(infra, "resource", "aws_iam_role_policy").values()
        if block["role"] == "${aws_iam_role.tracking_server.id}"
    ]
    granted = {}
    for statement in documents[document_of(policy["policy"])]["statement"]:
        assert allows(statement)
        for action in statement["actions"]:
            granted[action] = (statement["resources"], conditions(statement))
    assert granted == {
        "s3:ListBucket": (
            ["${module.models.arn}"],
            {"s3:prefix": ("StringLike", ["mlflow", "mlflow/*"])},
        ),
        "s3:GetObject": (["${module.models.arn}/mlflow/*"], {}),
        "s3:PutObject": (["${module.models.arn}/mlflow/*"], {}),
        "kms:Decrypt": (["${aws_kms_key.models.arn}"], {}),
        "kms:GenerateDataKey": (["${aws_kms_key.models.arn}"], {}),
    }


def mlflow_statements(bootstrap: dict[str, list[Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for document, statement in statements(bootstrap):
        if any(
            action.startswith(("sagemaker-mlflow:", "sagemaker:"))
            for action in statement["actions"]
        ):
            yield document, statement


def test_logging_to_the_tracking_servers_is_scoped_to_each_server_and_prefix(
    project: Project,
) -> None:
    if not project.toggles["use_mlflow"]:
        pytest.skip("MLflow is off")
    bootstrap = project.stacks["infra/bootstrap"]
    assert locals_of(bootstrap)["tracking_servers"] == (
        "${[for environment in local.environments : "
        '"arn:aws:sagemaker:${var.aws_region}:${local.account_id}:mlflow-tracking-server/'
        '${var.project}-${environment}"]}'
    )  # the environments' local.name, ${var.project}-${var.environment}
    found: dict[str, set[str]] = {}
    for document, statement in mlflow_statements(bootstrap):
        where = f"{document} {statement.get('sid', '')}"
        assert allows(statement), where
        assert not any("*" in action for action in statement["actions"]), where
        found.setdefault(document, set()).update(statement["actions"])
        if document == "log_experiments":
            assert statement["resources"] == [
                "arn:aws:sagemaker:${var.aws_region}:${local.account_id}:mlflow-tracking-server/"
                "${var.project}-${each.key}"
            ], where
            assert all(action.startswith("sagemaker-mlflow:") for action in statement["actions"])
        else:  # the stacks' roles: the tracking servers' configuration, never their data
            assert statement["resources"] == "${local.tracking_servers}", where
            assert all(action.startswith("sagemaker:") for action in statement["actions"]), where
    assert set(found) == {"log_experiments", "deploy_services", "read_stacks"}
    assert not any(
        action.startswith("sagemaker-mlflow:Delete") for action in found["log_experiments"]
    )
    assert found["read_stacks"] == {"sagemaker:DescribeMlflowTrackingServer", "sagemaker:ListTags"}

    [log] = named(bootstrap, "data", "aws_iam_policy_document")["log_experiments"]["statement"][1:2]
    assert log["resources"] == [
        "arn:aws:s3:::${var.project}-${each.key}-models-${local.account_id}"
    ] and conditions(log)["s3:prefix"] == ("StringLike", ["mlflow", "mlflow/*"])
    for statement in named(bootstrap, "data", "aws_iam_policy_document")["log_experiments"][
        "statement"
    ]:
        for action in statement["actions"]:
            if action.startswith("s3:") and action != "s3:ListBucket":
                assert action in ("s3:GetObject", "s3:PutObject")
                assert statement["resources"] == [
                    "arn:aws:s3:::${var.project}-${each.key}-models-${local.account_id}/mlflow/*"
                ]
            if action.startswith("kms:"):
                assert conditions(statement)["kms:ViaService"] == (
                    "StringEquals",
                    ["s3.${var.aws_region}.amazonaws.com"],
                )
                assert conditions(statement)["aws:ResourceTag/Project"][1] == ["${var.project}"]


def test_the_experiments_role_only_logs_pull_requests_to_staging(project: Project) -> None:
    if not project.toggles["use_mlflow"]:
        pytest.skip("MLflow is off")
    bootstrap = project.stacks["infra/bootstrap"]
    documents, managed = policies_of(bootstrap, "experiments")
    assert documents == []
    assert managed == ['${aws_iam_policy.log_experiments["staging"].arn}']
    for name in ("push", "plan", "deploy"):  # no other GitHub role can log
        assert not policies_of(bootstrap, name)[1], name
    deploy_passes = [
        statement
        for document in policies_of(bootstrap, "deploy")[0]
        for statement in named(bootstrap, "data", "aws_iam_policy_document")[document]["statement"]
        if "iam:PassRole" in statement["actions"]
        and conditions(statement)["iam:PassedToService"][1] == ["sagemaker.amazonaws.com"]
    ]
    assert [statement["resources"] for statement in deploy_passes] == [
        ["arn:aws:iam::${local.account_id}:role${local.role_path}*-mlflow"]
    ]
    assert (
        named(project.stacks["infra"], "resource", "aws_iam_role")["tracking_server"]["name"]
        == "${local.name}-mlflow"
    )
    boundary = named(bootstrap, "data", "aws_iam_policy_document")["boundary"]["statement"]
    writes = [
        statement
        for statement in boundary
        if allows(statement)
        and "s3:PutObject" in statement["actions"]
        and "condition" not in statement
    ]
    expected = [(["s3:PutObject"], '${[for bucket in local.model_buckets : "${bucket}/mlflow/*"]}')]
    if project.toggles["use_monitoring"]:  # the API tasks add to the prediction log
        expected.append(
            (
                ["s3:PutObject"],
                '${[for bucket in local.model_buckets : "${bucket}/prediction-log/*"]}',
            )
        )
    if project.toggles["use_dask"]:  # the batch output; only training roles write the models
        expected.append(
            (
                ["s3:AbortMultipartUpload", "s3:PutObject"],
                '${[for bucket in local.model_buckets : "${bucket}/batch/output/*"]}',
            )
        )
    assert [(statement["actions"], statement["resources"]) for statement in writes] == expected


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


SCALE_TASKS = {  # module call -> (container name, task role, log stream prefix)
    "train_task": ("train", "${aws_iam_role.train.arn}", "train"),
    # dask-cloudprovider overrides the containers of these names; the scheduler never calls AWS.
    "dask_scheduler_task": ("dask-scheduler", None, "dask"),
    "dask_worker_task": ("dask-worker", "${aws_iam_role.dask_worker.arn}", "dask"),
}


def granted_to(infra: dict[str, list[Any]], role: str) -> dict[str, tuple[Any, Any]]:
    """What the inline policies of a role of the environment stack allow: action -> (resources,
    conditions); each action in one statement only."""
    documents = named(infra, "data", "aws_iam_policy_document")
    granted: dict[str, tuple[Any, Any]] = {}
    for document in policies_of(infra, role)[0]:
        for statement in documents[document]["statement"]:
            assert allows(statement), f"{document} {statement.get('sid', '')}"
            for action in statement["actions"]:
                assert action not in granted, f"{role}: {action} granted twice"
                granted[action] = (statement["resources"], conditions(statement))
    return granted


def test_without_dask_nothing_of_the_scale_infrastructure_remains(project: Project) -> None:
    if project.toggles["use_dask"]:
        pytest.skip("Dask is on: the tests below check its infrastructure")
    assert not (project.path / "infra/scale.tf").exists()
    assert not (project.path / "infra/modules/ecs-task").exists()
    for path in (project.path / "infra").rglob("*.tf"):
        text = path.read_text(encoding="utf-8")
        for word in ("dask", "-train", "batch/", '"scale"'):
            assert word not in text, f"{path}: {word}"


def test_the_scale_tasks_are_calls_of_the_task_module_with_their_own_roles(
    project: Project,
) -> None:
    if not project.toggles["use_dask"]:
        pytest.skip("Dask is off")
    infra = project.stacks["infra"]
    calls = {
        name: call
        for name, call in module_calls(infra).items()
        if call["source"] == "./modules/ecs-task"
    }
    assert set(calls) == set(SCALE_TASKS)
    for name, (container, role, stream) in SCALE_TASKS.items():
        call = calls[name]
        assert call["container_name"] == container, name
        assert call.get("task_role_arn") == role, name
        assert call["execution_role_arn"] == "${aws_iam_role.execution.arn}", name
        assert call["image"] == "${local.scale_image}", name
        assert call["log_group_name"] == "${aws_cloudwatch_log_group.scale.name}", name
        assert call["log_stream_prefix"] == stream, name
    assert calls["train_task"]["command"] == [
        "python",
        "-m",
        answers()["package_name"],
        "train",
    ]  # the unchanged train command
    assert locals_of(infra)["scale_image"] == (
        "${data.aws_ecr_repository.scale.repository_url}:${var.image_tag}"
    )
    images = locals_of(project.stacks["infra/bootstrap"])["images"]
    assert "scale" in images  # bootstrap creates its repository, which CI pushes to
    [log_group] = [named(infra, "resource", "aws_cloudwatch_log_group")["scale"]]
    assert log_group["retention_in_days"] == "${var.log_retention_days}"
    assert log_group["kms_key_id"] == "${aws_kms_key.models.arn}"
    assert resolve(locals_of(infra)["scale_log_group"]).startswith(f"/{PROJECT}/")
    [definition] = named(
        project.stacks["infra/modules/ecs-task"], "resource", "aws_ecs_task_definition"
    ).values()
    assert definition["requires_compatibilities"] == ["FARGATE"]
    assert definition["network_mode"] == "awsvpc"
    assert "portMappings" not in definition["container_definitions"]  # nothing to expose


def test_the_dask_security_group_opens_dasks_ports_only_to_itself(project: Project) -> None:
    if not project.toggles["use_dask"]:
        pytest.skip("Dask is off")
    infra = project.stacks["infra"]
    group = "${aws_security_group.dask.id}"
    assert locals_of(infra)["dask_ports"] == {"from": 8786, "to": 8789}
    ingress = {
        name: rule
        for name, rule in named(infra, "resource", "aws_vpc_security_group_ingress_rule").items()
        if rule["security_group_id"] == group
    }
    assert set(ingress) == {"dask_inside", "dask_client"}
    inside = ingress["dask_inside"]
    assert inside["referenced_security_group_id"] == group
    assert (inside["from_port"], inside["to_port"]) == (
        "${local.dask_ports.from}",
        "${local.dask_ports.to}",
    )
    client = ingress["dask_client"]  # the scheduler's port only, from the networks listed
    assert client["for_each"] == "${toset(var.dask_client_cidrs)}"
    assert client["from_port"] == client["to_port"] == "${local.dask_ports.from}"
    cidrs = variables_of(infra)["dask_client_cidrs"]
    assert cidrs["default"] == []
    assert 'cidr != "0.0.0.0/0"' in cidrs["validation"][0]["condition"]
    egress = {
        name: rule
        for name, rule in named(infra, "resource", "aws_vpc_security_group_egress_rule").items()
        if rule["security_group_id"] == group
    }
    assert set(egress) == {"dask_inside", "dask_https"}
    assert egress["dask_inside"]["referenced_security_group_id"] == group
    assert egress["dask_https"]["from_port"] == egress["dask_https"]["to_port"] == 443


def test_training_reads_the_data_and_writes_only_the_model_store(project: Project) -> None:
    if not project.toggles["use_dask"]:
        pytest.skip("Dask is off")
    models = "${module.models.arn}"
    assert granted_to(project.stacks["infra"], "train") == {
        "s3:ListBucket": (
            [models],
            {"s3:prefix": ("StringLike", ["data", "data/*", "models", "models/*"])},
        ),
        "s3:GetObject": ([f"{models}/data/*", f"{models}/models/*"], {}),
        "s3:PutObject": ([f"{models}/models/*"], {}),
        # the store's rename of a temporary object (fsspec's move on S3: a copy, then a delete)
        "s3:DeleteObject": ([f"{models}/models/*"], {}),
        "kms:Decrypt": (["${aws_kms_key.models.arn}"], {}),
        "kms:GenerateDataKey": (["${aws_kms_key.models.arn}"], {}),
    }


def test_workers_read_the_input_and_the_models_and_write_only_the_output(
    project: Project,
) -> None:
    if not project.toggles["use_dask"]:
        pytest.skip("Dask is off")
    models = "${module.models.arn}"
    prefixes = ["batch/input", "batch/input/*", "batch/output", "batch/output/*"]
    assert granted_to(project.stacks["infra"], "dask_worker") == {
        "s3:ListBucket": (
            [models],
            {"s3:prefix": ("StringLike", [*prefixes, "models", "models/*"])},
        ),
        "s3:GetObject": (
            [f"{models}/batch/input/*", f"{models}/models/*", f"{models}/batch/output/*/_RUNNING"],
            {},
        ),
        "s3:PutObject": ([f"{models}/batch/output/*"], {}),
        "s3:AbortMultipartUpload": ([f"{models}/batch/output/*"], {}),
        "kms:Decrypt": (["${aws_kms_key.models.arn}"], {}),
        "kms:GenerateDataKey": (["${aws_kms_key.models.arn}"], {}),
    }


def test_the_boundary_lets_only_the_training_roles_write_the_models(project: Project) -> None:
    bootstrap, infra = project.stacks["infra/bootstrap"], project.stacks["infra"]
    boundary = named(bootstrap, "data", "aws_iam_policy_document")["boundary"]["statement"]
    model_writes = [
        statement
        for statement in boundary
        if allows(statement)
        and "s3:PutObject" in statement["actions"]
        and "/models/*" in statement["resources"]
    ]
    if not project.toggles["use_dask"]:
        assert model_writes == []
        return
    [write] = model_writes
    test, [pattern] = conditions(write)["aws:PrincipalArn"]
    assert test == "ArnLike"
    pattern = resolve(pattern)
    roles = named(infra, "resource", "aws_iam_role")
    local_name = f"{PROJECT}-staging"  # local.name, ${var.project}-${var.environment}

    def arn(role: dict[str, Any]) -> str:
        name = str(role["name"]).replace("${local.name}", local_name)
        return f"arn:aws:iam::{ACCOUNT}:role/{PROJECT}/{name}"

    writers = {name for name, role in roles.items() if fnmatchcase(arn(role), pattern)}
    assert writers == {"train"}
    services = [
        name for name, call in module_calls(infra).items() if "ecs-service" in call["source"]
    ]
    for service in services:  # their task roles: modules/ecs-service names them <prefix>-<name>
        assert not fnmatchcase(
            f"arn:aws:iam::{ACCOUNT}:role/{PROJECT}/{local_name}-{service}", pattern
        )


def test_the_scale_output_holds_what_the_scale_commands_read(project: Project) -> None:
    if not project.toggles["use_dask"]:
        pytest.skip("Dask is off")
    [output] = [entry["scale"] for entry in project.stacks["infra"]["output"] if "scale" in entry]
    source = project.path / "src" / answers()["package_name"] / "scale" / "terraform.py"
    [model] = [
        node
        for node in ast.parse(source.read_text(encoding="utf-8")).body
        if isinstance(node, ast.ClassDef) and node.name == "TerraformOutputs"
    ]
    fields = {
        node.target.id
        for node in model.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }
    assert set(output["value"]) == fields
    assert output["value"]["worker_cpu"] == "${var.dask_worker_cpu}"  # the workers' --nthreads
    assert output["value"]["worker_memory"] == "${var.dask_worker_memory}"  # and --memory-limit
