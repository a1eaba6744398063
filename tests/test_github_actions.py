"""GitHub Actions component: actionlint and the vendored schemas accept every combination, the
workflows follow least privilege, and GitHub's expressions survive rendering byte for byte."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .template import (
    TEMPLATE_DIR,
    bake_cookies,
    combination_id,
    is_valid_combination,
    toggle_combinations,
)
from .test_real import ALL_ON_MAKE_TARGETS

TOOLS = Path(sys.executable).parent  # actionlint, shellcheck and check-jsonschema: the dev group
SOURCE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / ".github"
WITH_ACTIONS = [
    toggles
    for toggles in toggle_combinations()
    if toggles["use_github_actions"] and is_valid_combination(toggles)
]
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


def tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TOOLS / command[0]), *command[1:]], cwd=cwd, capture_output=True, text=True
    )


def workflows(project: Path) -> dict[str, dict[str, Any]]:
    folder = project / ".github" / "workflows"
    return {path.stem: yaml.safe_load(path.read_text("utf-8")) for path in folder.glob("*.yml")}


def expected_workflows(toggles: dict[str, bool]) -> set[str]:
    names = {"ci", "model"}
    names |= {"docker"} if toggles["use_docker"] else set()
    names |= {"terraform"} if toggles["use_terraform"] else set()
    return names


@pytest.mark.parametrize("toggles", WITH_ACTIONS, ids=combination_id)
def test_workflows_pass_actionlint_and_the_schemas(cookies: Any, toggles: dict[str, bool]) -> None:
    project = bake_cookies(cookies, **toggles)
    files = sorted(str(path) for path in (project / ".github" / "workflows").glob("*.yml"))
    assert {Path(name).stem for name in files} == expected_workflows(toggles)

    shellcheck = str(TOOLS / "shellcheck")
    lint = tool("actionlint", "-shellcheck", shellcheck, *files, cwd=project)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    schema = tool(
        "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *files, cwd=project
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    dependabot = str(project / ".github" / "dependabot.yml")
    schema = tool(
        "check-jsonschema", "--builtin-schema", "vendor.dependabot", dependabot, cwd=project
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr

    ecosystems = {
        update["package-ecosystem"]
        for update in yaml.safe_load(Path(dependabot).read_text("utf-8"))["updates"]
    }
    wanted = {"github-actions", "uv"}
    wanted |= {"docker"} if toggles["use_docker"] else set()
    wanted |= {"terraform"} if toggles["use_terraform"] else set()
    assert ecosystems == wanted


@pytest.mark.parametrize("toggles", WITH_ACTIONS, ids=combination_id)
def test_workflows_follow_least_privilege(cookies: Any, toggles: dict[str, bool]) -> None:
    for name, workflow in workflows(bake_cookies(cookies, **toggles)).items():
        assert workflow["permissions"] == {"contents": "read"}, name
        for job_name, job in workflow["jobs"].items():
            where = f"{name}.{job_name}"
            assert isinstance(job["timeout-minutes"], int), where
            for step in job["steps"]:
                if "uses" in step:
                    assert PINNED.match(step["uses"]), f"{where}: {step['uses']} is not pinned"
                # Untrusted input reaches scripts through `env:`, never by interpolation.
                assert "${{" not in step.get("run", ""), f"{where}: {step['run']}"


def test_every_action_pin_names_its_version(cookies: Any) -> None:
    folder = bake_cookies(cookies) / ".github" / "workflows"
    for path in folder.glob("*.yml"):
        for line in path.read_text("utf-8").splitlines():
            if "uses: " in line:
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
