"""Annotation component, real tier: the labelling loop against a real Label Studio on loopback.

Label Studio's first start migrates its SQLite database (about 40 s); the migrated data folder is
kept in ~/.cache/fullstack-ds and copied for each run, which then starts in seconds.
"""

from __future__ import annotations

import csv
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

import pytest

from .running import bake, free_port, run, wait_until_ready
from .template import TOGGLES, require_tools, tool_environment

pytestmark = pytest.mark.real
LABEL_STUDIO = "label-studio==1.23.2"  # as in the generated annotation/cli.py
MIGRATED = Path.home() / ".cache" / "fullstack-ds" / f"{LABEL_STUDIO.replace('==', '-')}-data"
TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the generated settings' local default
ENV = "SUPPORT_TICKET_ROUTER_"


@contextmanager
def label_studio(project: Path, port: int) -> Iterator[str]:
    """`make annotate` on `port`, until stopped; yields its URL."""
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
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def make(
    project: Path, target: str, url: str, **variables: str
) -> subprocess.CompletedProcess[str]:
    environment = tool_environment() | {f"{ENV}ANNOTATION_URL": url}
    environment |= {f"{ENV}{name.upper()}": value for name, value in variables.items()}
    return subprocess.run(
        ["make", target], cwd=project, env=environment, capture_output=True, text=True, timeout=600
    )


def api(url: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"}
    request = urllib.request.Request(f"{url}{path}", data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def annotate(url: str, task: int, label: str, cancelled: bool = False) -> None:
    result = [
        {"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": [label]}}
    ]
    api(url, f"/api/tasks/{task}/annotations", {"result": result, "was_cancelled": cancelled})


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def annotation_project(tmp_path: Path) -> Path:
    """An annotation-only project with a trained model and a migrated Label Studio folder."""
    require_tools("uv", "uvx", "make")
    answers = [f"{toggle}={'yes' if toggle == 'use_annotation' else 'no'}" for toggle in TOGGLES]
    project = bake(tmp_path, *answers)
    run(["make", "train"], project)
    if not (MIGRATED / "label_studio.sqlite3").is_file():
        with label_studio(project, free_port()):
            pass  # the first start migrates the database and creates the user and token
        MIGRATED.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(project / ".label-studio", MIGRATED, dirs_exist_ok=True)
    else:
        shutil.copytree(MIGRATED, project / ".label-studio")
    return project


def test_push_annotate_pull_and_train(annotation_project: Path) -> None:
    project = annotation_project
    with label_studio(project, free_port()) as url:
        pushed = make(project, "annotate-push", url)
        assert pushed.returncode == 0, pushed.stderr
        assert "Pushed 80 messages" in pushed.stdout
        again = make(project, "annotate-push", url)
        assert "Pushed 0 messages" in again.stdout  # no duplicates

        [created] = api(url, "/api/projects")["results"]
        tasks = api(url, f"/api/tasks?project={created['id']}&page_size=100")["tasks"]
        assert len(tasks) == 80
        first, second, third, fourth = (task["id"] for task in tasks[:4])
        annotate(url, first, "billing")
        annotate(url, second, "shipping")
        annotate(url, third, "returns")
        annotate(url, third, "account")  # a second opinion that disagrees
        annotate(url, fourth, "technical", cancelled=True)

        pulled = make(project, "annotate-pull", url)
        assert pulled.returncode == 0, pulled.stderr
        assert "Pulled 2 labelled messages" in pulled.stdout
        assert "Agreement: 0% of the 1 messages" in pulled.stdout
        merged = project / "data" / "labelled" / "annotations.csv"
        first_pull = merged.read_bytes()
        assert make(project, "annotate-pull", url).returncode == 0
        assert merged.read_bytes() == first_pull  # pulling again changes nothing

        refused = make(project, "annotate-push", url, annotation_token="f" * 40)
        assert refused.returncode != 0
        assert "refused the API token" in refused.stderr

    rows = read_rows(merged)
    assert sorted(row["label"] for row in rows) == ["billing", "shipping"]
    assert {row["annotator"] for row in rows} == {"annotator@example.com"}
    down = make(project, "annotate-pull", "http://127.0.0.1:9")
    assert down.returncode != 0
    assert "start it with `make annotate`" in down.stderr
    run(["make", "train"], project)  # the loop closes: the annotations are training data now
    version = (project / "models" / "aliases" / "latest").read_text(encoding="utf-8").strip()
    metadata = json.loads((project / "models" / "versions" / version / "metadata.json").read_text())
    bundled = len(read_rows(project / "data" / "messages.csv"))
    assert metadata["data"]["rows"] == bundled + 2
    assert any(name.endswith("annotations.csv") for name in metadata["data"]["files"])
