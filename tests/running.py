"""Running a baked project's commands and services, for the real tiers."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from .template import TEMPLATE_DIR, run_cookiecutter, tool_environment

TIMEOUT = 1200
STEP_TIMEOUT = 600  # one make target or script, after the project is installed


def execute(
    command: list[str],
    project: Path,
    environment: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run a command in the project as a user does, with these variables added to the tools'
    environment; the caller checks the outcome."""
    return subprocess.run(
        command,
        cwd=project,
        env=tool_environment() | dict(environment or {}),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def run(
    command: list[str],
    project: Path,
    environment: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run a command that must succeed."""
    result = execute(command, project, environment, timeout)
    assert (
        result.returncode == 0
    ), f"{command} failed:\n{result.stdout[-6000:]}\n{result.stderr[-4000:]}"
    return result


def make(project: Path, *arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run a make target of the project as a user does; the caller checks the outcome."""
    command = ["make", "--no-print-directory", *arguments]
    return execute(command, project, environment, STEP_TIMEOUT)


def printed_json(project: Path, script: str, *arguments: str, **environment: str) -> Any:
    """The last line a script prints, as JSON, run by the project's Python."""
    command = ["uv", "run", "python", "-c", script, *arguments]
    result = run(command, project, environment, STEP_TIMEOUT)
    return json.loads(result.stdout.splitlines()[-1])


def bake(tmp_path: Path, *answers: str, template: Path = TEMPLATE_DIR) -> Path:
    result = run_cookiecutter(tmp_path, *answers, template=template)
    assert result.returncode == 0, result.stderr
    [project] = tmp_path.iterdir()
    return project


def commit_all(project: Path, message: str = "Generated") -> None:
    run(["git", "add", "--all"], project)
    identity = ["-c", "user.name=Template Tests", "-c", "user.email=tests@example.com"]
    run(["git", *identity, "commit", "--quiet", "--no-verify", "-m", message], project)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_ready(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not become ready in {timeout} s")
