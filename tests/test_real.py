"""Real tier: baked projects install with uv, pass their own pre-commit, lint, tests, training."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
from pathlib import Path

import pytest

from .running import bake, commit_all, free_port, run, wait_until_ready
from .template import TOGGLES, project_files, require_tools, tool_environment

pytestmark = pytest.mark.real
# What the all-on test runs; the generated CI workflow may only run these (a test checks it).
ALL_ON_MAKE_TARGETS = ("install", "pre-commit", "lint", "train", "predict", "coverage")
# What running a project's tests may write in it, beyond the caches project_files() skips.
TEST_CACHES = {"htmlcov", ".hypothesis"}


def test_the_default_all_on_project_works_end_to_end(tmp_path: Path) -> None:
    require_tools("uv", "make", "git")
    project = bake(tmp_path)
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    run(["make", "install"], project)  # creates .venv and uv.lock, which a user commits
    commit_all(project)

    run(["make", "pre-commit"], project)
    status = run(["git", "status", "--porcelain"], project).stdout
    assert status == "", f"pre-commit changed files:\n{status}"

    run(["make", "lint"], project)

    trained = run(["make", "train"], project)
    assert "macro-F1: " in trained.stdout
    macro_f1 = float(trained.stdout.split("macro-F1: ")[1].split()[0])
    assert macro_f1 >= 0.75
    assert (project / "models" / "aliases" / "latest").is_file()
    assert (project / "reports" / "confusion_matrix.png").is_file()
    card = (project / "docs" / "model_card.md").read_text(encoding="utf-8")
    assert f"| macro_f1 | {macro_f1:.3f} |" in card
    predicted = run(["make", "predict", "TEXT=I was charged twice for one order"], project)
    assert "billing" in predicted.stdout

    # make test's pytest command, with coverage and its floor (CI's target), on the trained
    # project: the project's models, logs, reports, docs and data are left byte for byte.
    before = tree_contents(project)
    tests = run(["make", "coverage"], project)
    assert "Required test coverage of 85" in tests.stdout
    assert "failed" not in tests.stdout.splitlines()[-1]
    after = tree_contents(project)
    touched = sorted(
        path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    )
    assert not touched, f"the tests changed the project: {touched}"


def tree_contents(project: Path) -> dict[str, str]:
    """The SHA-256 of every file of the project but the caches that running its tests writes."""
    return {
        path.relative_to(project).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in project_files(project)
        if not any(
            part in TEST_CACHES or part.startswith(".coverage")
            for part in path.relative_to(project).parts
        )
    }


@pytest.mark.parametrize("enabled", [(), ("use_api",)], ids=["all-off", "api-only"])
def test_lean_projects_pass_their_lint_and_tests(enabled: tuple[str, ...], tmp_path: Path) -> None:
    require_tools("uv", "make")
    answers = [f"{toggle}={'yes' if toggle in enabled else 'no'}" for toggle in TOGGLES]
    project = bake(tmp_path, *answers)
    installed = run(["make", "install"], project)
    assert installed.stdout.splitlines()[-1] == (
        "Not a git repository, so the pre-commit hooks were not installed:"
        " run git init, then make install again."
    )
    run(["make", "lint"], project)
    tests = run(["make", "coverage"], project)
    assert "Required test coverage of 85" in tests.stdout
    assert len(project_files(project)) > 20
    if "use_api" in enabled:
        check_load_test(project)


def check_load_test(project: Path) -> None:
    """Serve a trained model with the production command and load-test it on loopback."""
    run(["make", "train"], project)
    port = str(free_port())
    serve = ["make", "serve-prod", "API_WORKERS=1", f"API_PORT={port}"]
    server = subprocess.Popen(
        serve,
        cwd=project,
        env=tool_environment(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/health/ready")
        load = ["make", "load-test", f"API_PORT={port}", "LOAD_USERS=4", "LOAD_SECONDS=3"]
        result = run(load, project)
        report = result.stdout + result.stderr  # locust prints its summary on stderr
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    # Locust prints two "Aggregated" rows: request counts first, then latency percentiles.
    totals, _ = [line for line in report.splitlines() if line.lstrip().startswith("Aggregated")]
    assert "50%" in report
    assert "99%" in report
    requests, failures = totals.split()[1:3]
    assert int(requests) > 0
    assert failures.startswith("0")
