"""Annotation component, real tier: the labelling loop against a real Label Studio on loopback
(tests/label_studio.py)."""

from __future__ import annotations

import csv
import json
import re
import stat
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from .label_studio import ENV, TOKEN, Server, env_file, label_studio, with_migrated_data
from .running import bake, free_port, run
from .template import TOGGLES, require_tools, tool_environment

pytestmark = pytest.mark.real
PASSWORD = f"{ENV}ANNOTATION_PASSWORD"
# What the template used to give every project, on the command line.
FIXED = ("change-me-locally", "0123456789abcdef0123456789abcdef01234567")


def make(
    project: Path, target: str, url: str, **variables: str
) -> subprocess.CompletedProcess[str]:
    environment = tool_environment() | {f"{ENV}ANNOTATION_URL": url}
    environment |= {f"{ENV}{name.upper()}": value for name, value in variables.items()}
    return subprocess.run(
        ["make", target], cwd=project, env=environment, capture_output=True, text=True, timeout=600
    )


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sign_up(url: str, email: str) -> None:
    """Fill in Label Studio's sign-up form as a stranger who reaches the server would."""
    cookies = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    with browser.open(f"{url}/user/signup/", timeout=30) as page:
        page.read()
    csrf = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")
    form = {"email": email, "password": "Intruder-password-2026", "csrfmiddlewaretoken": csrf}
    request = urllib.request.Request(f"{url}/user/signup/", urllib.parse.urlencode(form).encode())
    try:
        with browser.open(request, timeout=30) as answer:
            answer.read()
    except urllib.error.HTTPError as refused:
        assert refused.code == 403


def bake_annotation_only(folder: Path) -> Path:
    answers = [f"{toggle}={'yes' if toggle == 'use_annotation' else 'no'}" for toggle in TOGGLES]
    return bake(folder, *answers)


@pytest.fixture
def annotation_project(tmp_path: Path) -> Path:
    """An annotation-only project with a trained model and a migrated Label Studio folder."""
    require_tools("uv", "uvx", "make", "ps")
    project = bake_annotation_only(tmp_path / "project")
    run(["make", "train"], project)
    with_migrated_data(project)
    return project


def test_credentials_are_random_private_and_never_on_a_command_line(
    annotation_project: Path, tmp_path: Path
) -> None:
    project = annotation_project
    ours = f"{ENV}LOG_LEVEL=INFO"  # a line of the user's own, without a final newline
    (project / ".env").write_text(ours, encoding="utf-8")
    (project / ".env").chmod(0o644)
    with label_studio(project, free_port()) as (url, commands):
        settings = env_file(project)
        password, token = settings[PASSWORD], settings[TOKEN]
        server = Server(url, token)  # the server took the token from the environment
        sign_up(url, "intruder@example.com")
        users = {user["email"] for user in server.api("/api/users")}

    assert (project / ".env").read_text(encoding="utf-8").startswith(ours + "\n")
    assert stat.S_IMODE((project / ".env").stat().st_mode) == 0o600
    assert re.fullmatch("[0-9a-f]{40}", token)
    assert len(password) >= 32
    assert not {password, token} & set(FIXED)
    assert any("label-studio start" in command for command in commands), commands
    assert not [command for command in commands if password in command or token in command]
    assert users == {"annotator@example.com"}  # nobody signs up without an invitation

    before = (project / ".env").read_bytes()
    assert "set already" in run(["make", "annotate-credentials"], project).stdout
    assert (project / ".env").read_bytes() == before  # never overwritten
    other = bake_annotation_only(tmp_path / "other")
    run(["make", "annotate-credentials"], other)
    assert env_file(other)[PASSWORD] != password
    assert env_file(other)[TOKEN] != token


def test_push_annotate_pull_and_train(annotation_project: Path) -> None:
    project = annotation_project
    with label_studio(project, free_port()) as (url, _):
        server = Server(url, env_file(project)[TOKEN])
        pushed = make(project, "annotate-push", url)
        assert pushed.returncode == 0, pushed.stderr
        assert "Pushed 80 messages" in pushed.stdout
        again = make(project, "annotate-push", url)
        assert "Pushed 0 messages" in again.stdout  # no duplicates

        [created] = server.api("/api/projects")["results"]
        tasks = server.api(f"/api/tasks?project={created['id']}&page_size=100")["tasks"]
        assert len(tasks) == 80
        first, second, third, fourth = (task["id"] for task in tasks[:4])
        server.annotate(first, "billing")
        server.annotate(second, "shipping")
        server.annotate(third, "returns")
        server.annotate(third, "account")  # a second opinion that disagrees
        server.annotate(fourth, "technical", cancelled=True)

        pulled = make(project, "annotate-pull", url)
        assert pulled.returncode == 0, pulled.stderr
        assert "Pulled 2 labelled messages" in pulled.stdout
        assert "Agreement: 0% of the 1 messages" in pulled.stdout
        merged = project / "data" / "labelled" / "annotations.csv"
        first_pull = merged.read_bytes()
        assert make(project, "annotate-pull", url).returncode == 0
        assert merged.read_bytes() == first_pull  # pulling again changes nothing

        # A task added by hand in Label Studio, without the row id the project gives.
        by_hand = [{"data": {"text": "Added by hand in Label Studio"}}]
        server.api(f"/api/projects/{created['id']}/import", by_hand)
        tasks = server.api(f"/api/tasks?project={created['id']}&page_size=100")["tasks"]
        [added] = [task["id"] for task in tasks if "row_id" not in task["data"]]
        server.annotate(added, "technical")
        refused_export = make(project, "annotate-pull", url)
        assert refused_export.returncode != 0
        [line] = [line for line in refused_export.stderr.splitlines() if line.startswith("error")]
        assert line == (
            "error: Label Studio's export is not what this project reads, so nothing was merged:"
            f" task {added}, data.row_id: Field required"
        )
        assert "Traceback" not in refused_export.stderr
        assert merged.read_bytes() == first_pull

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
