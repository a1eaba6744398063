"""GitHub Actions component: actionlint, zizmor and the vendored schemas accept every combination,
the workflows follow least privilege, nothing that a fork controls reaches a cloud role, and
GitHub's expressions survive rendering byte for byte."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .template import (
    TEMPLATE_DIR,
    bake_cookies,
    combination_id,
    covering_set,
    is_valid_combination,
    toggle_combinations,
)
from .test_real import ALL_ON_MAKE_TARGETS

TOOLS = Path(sys.executable).parent  # actionlint, shellcheck, check-jsonschema, zizmor: dev group
SOURCE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / ".github"
# Every pair of toggle values with the workflows on: the linters on each combination take minutes.
WITH_ACTIONS = covering_set(
    [
        toggles
        for toggles in toggle_combinations()
        if toggles["use_github_actions"] and is_valid_combination(toggles)
    ]
)
WITH_TERRAFORM = [toggles for toggles in WITH_ACTIONS if toggles["use_terraform"]]
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
SELF_REPOSITORY = "$/.github/workflows/"  # this repository's reusable workflows, at the same commit
# Triggers that run with this repository's tokens on behalf of something a fork can start.
DANGEROUS_TRIGGERS = {"workflow_run", "pull_request_target"}
UNTRUSTED_REFS = re.compile(r"github\.event\.(pull_request\.head\.(sha|ref)|workflow_run)|head_ref")
SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository"
ON_MAIN = "github.ref == 'refs/heads/main'"
# Events that people with write access start (by hand or on a schedule): a job with a cloud role
# runs for them on main only.
MAIN_ONLY_EVENTS = {"schedule", "workflow_dispatch"}
EVENT_TEST = re.compile(r"github\.event_name == '(\w+)'")
REPORTED_SEVERITIES = {"Medium", "High"}
Bake = Callable[[dict[str, bool]], Path]


def tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TOOLS / command[0]), *command[1:]], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture(scope="session")
def baked(cookies_session: Any) -> Bake:
    """One read-only bake per combination, shared by the tests that only read it."""
    projects: dict[str, Path] = {}

    def bake(toggles: dict[str, bool]) -> Path:
        key = combination_id(toggles)
        if key not in projects:
            projects[key] = bake_cookies(cookies_session, **toggles)
            # A git repository: actionlint then checks the calls of the local reusable workflows.
            subprocess.run(["git", "init", "--quiet", str(projects[key])], check=True)
        return projects[key]

    return bake


def workflows(project: Path) -> dict[str, dict[str, Any]]:
    folder = project / ".github" / "workflows"
    return {path.stem: yaml.safe_load(path.read_text("utf-8")) for path in folder.glob("*.yml")}


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The events that start a workflow, with their filters (PyYAML reads the key `on` as True)."""
    [events] = [value for key, value in workflow.items() if key in ("on", True)]
    return {events: None} if isinstance(events, str) else dict(events)


def expected_workflows(toggles: dict[str, bool]) -> set[str]:
    names = {"ci", "model"}
    names |= {"docker"} if toggles["use_docker"] else set()
    names |= {"terraform", "deploy"} if toggles["use_terraform"] else set()
    names |= {"monitor"} if toggles["use_terraform"] and toggles["use_monitoring"] else set()
    return names


def zizmor_findings(*folders: Path) -> list[str]:
    """zizmor's offline findings of medium or high severity, one line each."""
    result = tool("zizmor", "--offline", "--format", "json", *map(str, folders), cwd=TEMPLATE_DIR)
    assert result.returncode in {0, 11, 12, 13, 14}, result.stderr  # 11-14: findings
    return [
        f"{finding['ident']} ({finding['determinations']['severity']}): {finding['desc']} in "
        f"{finding['locations'][0]['symbolic']['key']}"
        for finding in json.loads(result.stdout)
        if finding["determinations"]["severity"] in REPORTED_SEVERITIES and not finding["ignored"]
    ]


@pytest.mark.parametrize("toggles", WITH_ACTIONS, ids=combination_id)
def test_workflows_pass_actionlint_zizmor_and_the_schemas(
    baked: Bake, toggles: dict[str, bool]
) -> None:
    project = baked(toggles)
    files = sorted(str(path) for path in (project / ".github" / "workflows").glob("*.yml"))
    assert {Path(name).stem for name in files} == expected_workflows(toggles)

    shellcheck = str(TOOLS / "shellcheck")
    lint = tool("actionlint", "-shellcheck", shellcheck, *files, cwd=project)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert zizmor_findings(project) == []
    schema = tool(
        "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *files, cwd=project
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    dependabot = str(project / ".github" / "dependabot.yml")
    schema = tool(
        "check-jsonschema", "--builtin-schema", "vendor.dependabot", dependabot, cwd=project
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr

    updates = yaml.safe_load(Path(dependabot).read_text("utf-8"))["updates"]
    wanted = {"github-actions", "uv"}
    wanted |= {"docker"} if toggles["use_docker"] else set()
    wanted |= {"terraform"} if toggles["use_terraform"] else set()
    assert {update["package-ecosystem"] for update in updates} == wanted
    # A release waits a week before Dependabot proposes it: time for a compromise to come to light.
    assert all(update["cooldown"]["default-days"] >= 7 for update in updates)


def test_the_template_repository_passes_zizmor() -> None:
    assert zizmor_findings(TEMPLATE_DIR) == []


@pytest.mark.parametrize("toggles", WITH_ACTIONS, ids=combination_id)
def test_workflows_follow_least_privilege(baked: Bake, toggles: dict[str, bool]) -> None:
    for name, workflow in workflows(baked(toggles)).items():
        assert workflow["permissions"] == {"contents": "read"}, name
        for job_name, job in workflow["jobs"].items():
            where = f"{name}.{job_name}"
            if "uses" in job:  # a call of a reusable workflow: one of this repository's own
                assert job["uses"].startswith(SELF_REPOSITORY), where
                assert "secrets" not in job, f"{where}: pass no secrets, least of all `inherit`"
                continue
            assert isinstance(job["timeout-minutes"], int), where
            for step in job["steps"]:
                if "uses" in step:
                    assert PINNED.match(step["uses"]), f"{where}: {step['uses']} is not pinned"
                # Untrusted input reaches scripts through `env:`, never by interpolation.
                assert "${{" not in step.get("run", ""), f"{where}: {step['run']}"


@pytest.mark.parametrize("toggles", WITH_ACTIONS, ids=combination_id)
def test_no_workflow_runs_for_an_event_that_a_fork_can_start_with_its_trust(
    baked: Bake, toggles: dict[str, bool]
) -> None:
    for name, workflow in workflows(baked(toggles)).items():
        dangerous = DANGEROUS_TRIGGERS & set(triggers(workflow))
        assert not dangerous, f"{name} runs on {dangerous}"


def calls_of(flows: dict[str, dict[str, Any]], name: str) -> list[tuple[str, dict[str, Any]]]:
    """The jobs that call the reusable workflow `name`, with the names of their workflows."""
    return [
        (caller, job)
        for caller, workflow in flows.items()
        for job in workflow["jobs"].values()
        if job.get("uses") == f"{SELF_REPOSITORY}{name}.yml"
    ]


def starting_triggers(flows: dict[str, dict[str, Any]], name: str) -> list[tuple[str, Any]]:
    """The events (with their filters) that can start a workflow: its own, and for a reusable
    workflow, those of the workflows that call it."""
    found = [(event, rule) for event, rule in triggers(flows[name]).items()]
    for caller, _ in calls_of(flows, name):
        found += starting_triggers(flows, caller)
    return [(event, rule) for event, rule in found if event != "workflow_call"]


def cloud_jobs(flows: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any], list[str]]]:
    """Every job that can get a GitHub OIDC token (id-token: write), with the `if:` conditions that
    guard it: its own and, in a reusable workflow, that of the one job that calls it."""
    found = []
    for name, workflow in flows.items():
        for job_name, job in workflow["jobs"].items():
            if job.get("permissions", {}).get("id-token") == "write" and "steps" in job:
                guards = [job.get("if", "")]
                if "workflow_call" in triggers(workflow):
                    [(_, call)] = calls_of(flows, name)
                    guards.append(call.get("if", ""))
                found.append((f"{name}.{job_name}", job, guards))
    return found


@pytest.mark.parametrize("toggles", WITH_ACTIONS, ids=combination_id)
def test_only_trusted_events_get_cloud_credentials(baked: Bake, toggles: dict[str, bool]) -> None:
    """A job with a cloud identity runs for pushes to main or version tags, on main on a schedule
    or by hand (the monitor role), or (the plan role) for pull requests from this repository, and
    never checks out a ref that a pull request names."""
    flows = workflows(baked(toggles))
    jobs = cloud_jobs(flows)
    assert bool(jobs) == toggles["use_terraform"]
    for where, job, guards in jobs:
        named = {event for guard in guards for event in EVENT_TEST.findall(guard)}
        starts = [
            (event, rule)
            for event, rule in starting_triggers(flows, where.split(".")[0])
            if not named or event in named
        ]
        events = {event for event, _ in starts}
        assert events <= {"push", "pull_request", *MAIN_ONLY_EVENTS}, f"{where} runs on {events}"
        if events & MAIN_ONLY_EVENTS:  # their role trusts main only: skipped on other refs
            assert any(ON_MAIN in guard for guard in guards), f"{where} runs on other refs"
        for event, rule in starts:
            if event == "push":  # to main or a version tag
                assert set(rule) <= {"branches", "tags"}, f"{where}: {rule}"
                assert rule.get("branches", ["main"]) == ["main"], f"{where}: {rule}"
                assert set(rule.get("tags", [])) <= {"v*"}, f"{where}: {rule}"
        if "pull_request" in events:
            assert any(SAME_REPOSITORY in guard for guard in guards), f"{where} runs for forks"
        if "environment" in job:  # a deploy: from main only
            assert any(ON_MAIN in guard for guard in guards), f"{where} deploys from other refs"
        assert not UNTRUSTED_REFS.search(json.dumps(job)), f"{where} reads a pull request's ref"
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                ref = step.get("with", {}).get("ref", "${{ github.sha }}")
                assert ref == "${{ github.sha }}", f"{where} checks out {ref}"


@pytest.mark.parametrize("toggles", WITH_TERRAFORM, ids=combination_id)
def test_a_push_to_main_deploys_its_image_to_staging_then_prod(
    baked: Bake, toggles: dict[str, bool]
) -> None:
    project = baked(toggles)
    flows = workflows(project)
    [caller] = [job for job in flows["docker"]["jobs"].values() if "uses" in job]
    assert caller["uses"] == f"{SELF_REPOSITORY}deploy.yml"
    assert caller["needs"] == "push"
    assert caller["with"] == {"image-tag": "sha-${{ github.sha }}"}
    assert caller["if"] == f"github.event_name == 'push' && {ON_MAIN}"
    assert caller["permissions"] == {"contents": "read", "id-token": "write"}

    deploy = flows["deploy"]
    assert set(triggers(deploy)) == {"workflow_call"}
    jobs = deploy["jobs"]
    assert [job["environment"] for job in jobs.values()] == ["staging", "prod"]
    assert jobs["prod"]["needs"] == "staging"
    # The deploy role trusts these environments' OIDC subjects; each has its own stack settings.
    stacks = {path.stem for path in (project / "infra" / "environments").glob("*.tfvars")}
    assert {job["environment"] for job in jobs.values()} == stacks
    # The other cloud jobs keep their OIDC subjects: a ref (push role) and pull_request (plan role).
    assert "environment" not in flows["docker"]["jobs"]["push"]
    assert "environment" not in flows["terraform"]["jobs"]["plan"]


def test_every_action_pin_names_its_version(cookies: Any) -> None:
    folder = bake_cookies(cookies) / ".github" / "workflows"
    for path in folder.glob("*.yml"):
        for line in path.read_text("utf-8").splitlines():
            if "uses: " in line and f"uses: {SELF_REPOSITORY}" not in line:
                assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), f"{path.name}: {line}"


def test_github_expressions_survive_rendering_byte_for_byte(cookies: Any) -> None:
    project = bake_cookies(cookies)  # every component on: every expression is rendered
    for source in sorted(SOURCE.rglob("*.yml")):
        rendered = project / ".github" / source.relative_to(SOURCE)
        expected = EXPRESSION.findall(source.read_text("utf-8"))
        assert EXPRESSION.findall(rendered.read_text("utf-8")) == expected, source.name
    assert "type=semver,pattern={{version}}" in (
        project / ".github/workflows/docker.yml"
    ).read_text("utf-8")


def test_ci_runs_the_make_targets_that_the_real_tier_runs(cookies: Any) -> None:
    ci = workflows(bake_cookies(cookies))["ci"]
    commands = [
        step["run"] for job in ci["jobs"].values() for step in job["steps"] if "run" in step
    ]
    assert commands, "the ci workflow runs nothing"
    for command in commands:
        target = command.removeprefix("make ")
        assert command == f"make {target}", f"ci runs {command!r}, not a make target"
        assert target in ALL_ON_MAKE_TARGETS


@pytest.mark.parametrize(
    ("branch", "base", "row"),
    [
        ({"macro_f1": 0.8}, {"macro_f1": 0.75}, "| macro_f1 | 0.800 | 0.750 | +0.050 |"),
        ({"macro_f1": 0.7}, None, "| macro_f1 | 0.700 | n/a | n/a |"),
    ],
)
def test_the_model_report_compares_with_the_base_branch(
    cookies: Any, branch: dict[str, float], base: dict[str, float] | None, row: str
) -> None:
    script = bake_cookies(cookies) / ".github" / "scripts" / "model_report.py"
    folder = script.parent
    (folder / "branch.json").write_text(json.dumps(branch), "utf-8")
    if base is not None:
        (folder / "base.json").write_text(json.dumps(base), "utf-8")
    result = subprocess.run(
        [sys.executable, str(script), "branch.json", "base.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    assert row in result.stdout.splitlines()
    assert ("no model to compare with" in result.stdout) == (base is None)


@pytest.mark.parametrize("toggles", WITH_ACTIONS, ids=combination_id)
def test_the_model_check_logs_to_a_tracking_server_only_when_one_is_configured(
    baked: Bake, toggles: dict[str, bool]
) -> None:
    jobs = workflows(baked(toggles))["model"]["jobs"]
    compare = json.dumps(jobs["compare"])
    assert "MLFLOW" not in compare and "id-token" not in compare  # the comment needs no server
    if not toggles["use_mlflow"]:
        assert set(jobs) == {"compare"}
        return
    track = jobs["track"]
    assert track["if"] == (
        "${{ vars.MLFLOW_TRACKING_URI != '' && "
        "github.event.pull_request.head.repo.full_name == github.repository }}"
    )
    [train] = [step for step in track["steps"] if step.get("run") == "make train"]
    assert train["env"] == {"MLFLOW_TRACKING_URI": "${{ vars.MLFLOW_TRACKING_URI }}"}
    credentials = [
        step for step in track["steps"] if "configure-aws-credentials" in step.get("uses", "")
    ]
    if toggles["use_terraform"]:
        assert track["permissions"] == {"contents": "read", "id-token": "write"}
        [step] = credentials
        assert step["with"]["role-to-assume"] == "${{ vars.AWS_EXPERIMENTS_ROLE_ARN }}"
        assert "uv sync --group sagemaker" in [step.get("run") for step in track["steps"]]
    else:
        assert track["permissions"] == {"contents": "read"} and not credentials


@pytest.mark.parametrize("toggles", WITH_TERRAFORM, ids=combination_id)
def test_the_monitor_workflow_reports_on_prods_log_with_its_read_only_role(
    baked: Bake, toggles: dict[str, bool]
) -> None:
    project = baked(toggles)
    flows = workflows(project)
    if not toggles["use_monitoring"]:
        assert "monitor" not in flows
        return
    workflow = flows["monitor"]
    assert set(triggers(workflow)) == {"schedule", "workflow_dispatch"}
    job = workflow["jobs"]["report"]
    assert job["permissions"] == {"contents": "read", "id-token": "write", "issues": "write"}
    assert job["if"] == (
        "${{ vars.AWS_MONITOR_ROLE_ARN != '' && github.ref == 'refs/heads/main' }}"
    )
    steps = {step.get("name", step.get("uses", "").split("@")[0]): step for step in job["steps"]}
    role = steps["AWS credentials of the monitor role"]["with"]["role-to-assume"]
    assert role == "${{ vars.AWS_MONITOR_ROLE_ARN }}"
    check = steps["Check the last 7 days of traffic"]
    assert check["env"] == {"BUCKET": "${{ vars.PROD_MODEL_BUCKET }}"}
    # The variables and the command are the project's: its settings and its monitoring CLI.
    package = "support_ticket_router"
    prefix = package.upper()
    assert f'export {prefix}_MODEL_STORE="s3://$BUCKET/models"' in check["run"]
    assert f'export {prefix}_MONITORING_LOG_URL="s3://$BUCKET/prediction-log"' in check["run"]
    command = f"uv run python -m {package}.monitoring report --output monitoring-report"
    assert command in check["run"]
    source = project / "src" / package
    assert "    model_store: str" in (source / "settings.py").read_text("utf-8")
    assert "    log_url: str" in (source / "monitoring" / "settings.py").read_text("utf-8")
    assert 'command("report")' in (source / "monitoring" / "cli.py").read_text("utf-8")
    # The prefixes the bootstrap's monitor role may read.
    infra = (project / "infra" / "main.tf").read_text("utf-8")
    assert 'model_store = "s3://${module.models.id}/models"' in infra
    log = (project / "infra" / "monitoring.tf").read_text("utf-8")
    assert 'prediction_log = "s3://${module.models.id}/prediction-log"' in log
    upload = steps["actions/upload-artifact"]
    assert upload["with"]["path"] == "monitoring-report/"
    issue = steps["Open or update the drift issue"]
    assert issue["if"] == "${{ steps.monitor.outputs.status == '1' }}"
    assert issue["env"]["GH_TOKEN"] == "${{ github.token }}"
