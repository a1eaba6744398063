"""Running a baked project's commands and services, for the real tiers."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from .template import TEMPLATE_DIR, run_cookiecutter, tool_environment

TIMEOUT = 1200
STEP_TIMEOUT = 600  # one make target or script, after the project is installed
MOTO = "moto[server]==5.2.5"


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


@contextlib.contextmanager
def moto_s3(log: Path) -> Iterator[dict[str, str]]:
    """A moto S3 server on loopback, its output in `log`; the variables that point boto at it."""
    port = free_port()
    with log.open("w") as output:
        server = subprocess.Popen(
            ["uvx", "--from", MOTO, "moto_server", "-H", "127.0.0.1", "-p", str(port)],
            env=tool_environment(),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_ready(f"http://127.0.0.1:{port}/moto-api/")
            yield {
                "AWS_ENDPOINT_URL_S3": f"http://127.0.0.1:{port}",
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
            }
        finally:
            server.terminate()
            server.wait(timeout=30)


def http_json(url: str, body: Mapping[str, object] | None = None) -> Any:
    """GET `url`, or POST `body` as JSON; the answer's JSON (an error status raises)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


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
