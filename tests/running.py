"""Running a baked project's commands and services, for the real tiers."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .template import TEMPLATE_DIR, run_cookiecutter, tool_environment

TIMEOUT = 1200


def run(command: list[str], project: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command,
        cwd=project,
        env=tool_environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )
    assert (
        result.returncode == 0
    ), f"{command} failed:\n{result.stdout[-6000:]}\n{result.stderr[-4000:]}"
    return result


def make(project: Path, *arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run a make target of the project as a user does; the caller checks the outcome."""
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=project,
        env=tool_environment() | environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )


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
