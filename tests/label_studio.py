"""A real Label Studio for the real tier: started on loopback by a baked project's
`make annotate`, from a copy of a data folder migrated once.

Label Studio's first start migrates its SQLite database (about 40 s); the migrated data folder,
without any user, is kept in ~/.cache/fullstack-ds and copied for each run, which then starts in
seconds and creates the project's own user and token.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .running import wait_until_ready
from .template import tool_environment

LABEL_STUDIO = "label-studio==1.23.2"  # as in the generated annotation/cli.py
LABEL_STUDIO_PINS = ("--with", "sentry-sdk==2.76.0")  # as there too
MIGRATED = Path.home() / ".cache" / "fullstack-ds" / f"{LABEL_STUDIO.replace('==', '-')}-migrated"
ENV = "SUPPORT_TICKET_ROUTER_"
TOKEN = f"{ENV}ANNOTATION_TOKEN"


def with_migrated_data(project: Path) -> None:
    """Give a project a copy of the migrated data folder (migrating it the first time)."""
    if not (MIGRATED / "label_studio.sqlite3").is_file():
        # `version` migrates the database and creates no user: each project brings its own.
        migrating = MIGRATED.with_name(f"{MIGRATED.name}.{os.getpid()}")
        migrate = ["uvx", "--from", LABEL_STUDIO, *LABEL_STUDIO_PINS, "label-studio", "version"]
        subprocess.run(
            [*migrate, "--data-dir", str(migrating)],
            env=tool_environment() | {"LATEST_VERSION_CHECK": "false"},
            capture_output=True,
            check=True,
            timeout=1200,
        )
        shutil.rmtree(MIGRATED, ignore_errors=True)
        migrating.rename(MIGRATED)
    shutil.copytree(MIGRATED, project / ".label-studio")


@contextmanager
def label_studio(project: Path, port: int) -> Iterator[tuple[str, list[str]]]:
    """`make annotate` on `port`, until stopped; yields its URL and the command lines of its
    processes."""
    url = f"http://127.0.0.1:{port}"
    environment = tool_environment() | {f"{ENV}ANNOTATION_URL": url}
    server = subprocess.Popen(
        ["make", "annotate"],
        cwd=project,
        env=environment,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_ready(f"{url}/health", timeout=300)
        yield url, command_lines(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def command_lines(group: int) -> list[str]:
    """The full command line of every process in a process group, as any user of the machine
    can read them (from /proc on Linux)."""
    listed = subprocess.run(
        ["ps", "-A", "-ww", "-o", "pgid=", "-o", "args="],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = (line.strip().split(maxsplit=1) for line in listed.stdout.splitlines())
    return [parts[1] for parts in lines if len(parts) == 2 and parts[0] == str(group)]


def env_file(project: Path) -> dict[str, str]:
    """The settings in the project's `.env`."""
    lines = (project / ".env").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


class Server:
    """Label Studio's REST API, with a token."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token

    def api(self, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        request = urllib.request.Request(f"{self.url}{path}", data=data, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())

    def annotate(self, task: int, label: str, cancelled: bool = False) -> None:
        value = {"choices": [label]}
        result = [{"from_name": "label", "to_name": "text", "type": "choices", "value": value}]
        body = {"result": result, "was_cancelled": cancelled}
        self.api(f"/api/tasks/{task}/annotations", body)
