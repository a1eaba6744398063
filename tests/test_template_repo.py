"""The template repository keeps its own promises: one test command, agreeing pins, clean code."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest

from .template import TEMPLATE_DIR

OWN_CODE = ("hooks", "tests", "benchmarks")
SHARED_TOOLS = ("black", "mypy", "pre-commit", "pytest", "pytest-xdist", "ruff")


def quick_start_commands() -> list[str]:
    readme = (TEMPLATE_DIR / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def pins(requirements: list[str]) -> dict[str, str]:
    """`name==version` lines as a mapping (every line must be pinned)."""
    result = {}
    for line in requirements:
        name, version = line.split("==")
        result[name] = version
    return result


def test_the_readme_has_exactly_two_commands_and_ci_runs_the_second() -> None:
    generate, test = quick_start_commands()
    assert "cookiecutter" in generate
    ci_script = (TEMPLATE_DIR / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci_script.splitlines()


def test_template_and_generated_project_pin_the_same_tool_versions() -> None:
    own = tomllib.loads((TEMPLATE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    generated = (TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "pyproject.toml").read_text(
        encoding="utf-8"
    )
    dev_block = generated.split("dev = [", 1)[1].split("]", 1)[0]
    generated_pins = pins(re.findall(r'"([^"]+)"', dev_block))
    own_pins = pins(own["dependency-groups"]["dev"])
    for tool in SHARED_TOOLS:
        assert own_pins[tool] == generated_pins[tool], tool


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "--no-cache", *OWN_CODE],
        ["black", "--check", *OWN_CODE],
        ["mypy"],
    ],
    ids=["ruff", "black", "mypy"],
)
def test_the_template_code_is_clean(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=TEMPLATE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
