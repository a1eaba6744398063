"""Real tier: uv.lock is created by the first install, committed through the project's own hooks,
and CI and image builds install exactly what it pins, failing clearly when it is missing or stale.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .running import bake, execute, run
from .template import make_template_repository, require_tools
from .test_docker import require_podman

pytestmark = pytest.mark.real
GIT = ["git", "-c", "user.name=Template Tests", "-c", "user.email=tests@example.com"]
STALE = "uv.lock must be committed and match pyproject.toml"
NEW_DEPENDENCY = '    "six==1.17.0",\n'


def fails(command: list[str], project: Path, **environment: str) -> str:
    """Run a command that must fail; return what it printed."""
    result = execute(command, project, environment)
    assert result.returncode != 0, f"{command} succeeded:\n{result.stdout[-3000:]}"
    return result.stdout + result.stderr


def add_dependency_without_locking(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace("dependencies = [\n", f"dependencies = [\n{NEW_DEPENDENCY}"))


def commit_through_the_hooks(project: Path, message: str) -> None:
    """`git add -A` and commit, with the project's pre-commit hooks, as a user does."""
    run(["git", "add", "--all"], project)
    run([*GIT, "commit", "--quiet", "-m", message], project)
    assert run(["git", "status", "--porcelain"], project).stdout == ""


def test_the_first_install_locks_the_commit_hooks_accept_it_and_ci_enforces_it(
    tmp_path: Path,
) -> None:
    require_tools("uv", "make", "git")
    template = make_template_repository(tmp_path / "template")  # add-component renders it again
    project = bake(tmp_path / "out", "use_annotation=no", template=template)
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    installed = run(["make", "install"], project)  # creates uv.lock and installs the hooks
    assert "pre-commit installed at .git/hooks/pre-commit" in installed.stdout
    commit_through_the_hooks(project, "Generated")
    run(["make", "train"], project)
    changed = run(["git", "status", "--porcelain"], project).stdout.splitlines()
    assert " M docs/model_card.md" in changed  # the model card follows the model
    assert all(line.startswith(" M ") for line in changed), changed  # nothing new to commit
    commit_through_the_hooks(project, "First model")
    committed = run(["git", "ls-files"], project).stdout.splitlines()
    assert "uv.lock" in committed
    run(["uv", "sync", "--locked"], project)

    added = run(["make", "add-component", "NAME=annotation"], project)
    assert "Merged and staged" in added.stdout
    assert (project / "mk" / "annotation.mk").is_file()
    run(["make", "install"], project)  # the component's dependencies, locked
    commit_through_the_hooks(project, "Add annotation")
    run(["uv", "sync", "--locked"], project)

    lock = (project / "uv.lock").read_bytes()
    add_dependency_without_locking(project)
    for target in ("install", "train", "uv.lock"):  # uv.lock: what docker-build runs first
        printed = fails(["make", target], project, CI="true")
        assert "needs to be updated" in printed, target
    assert STALE in fails(["make", "install"], project, CI="true")
    assert (project / "uv.lock").read_bytes() == lock, "CI changed uv.lock"
    (project / "uv.lock").unlink()
    assert STALE in fails(["make", "install"], project, CI="true")
    assert not (project / "uv.lock").exists()

    run(["make", "uv.lock"], project)  # on a laptop, a changed pyproject.toml is locked again
    assert 'name = "six"' in (project / "uv.lock").read_text(encoding="utf-8")
    run(["uv", "lock", "--check"], project)


def test_an_image_build_needs_a_current_lock(tmp_path: Path) -> None:
    require_tools("uv")
    require_podman()
    project = bake(tmp_path, "use_streamlit=no", "use_annotation=no", "use_terraform=no")
    build = ["podman", "build", "--pull=never", "--target", "api", "--tag", "lock-probe", "."]
    try:
        assert "Unable to find lockfile" in fails(build, project)
        run(["uv", "lock"], project)
        add_dependency_without_locking(project)
        assert "needs to be updated" in fails(build, project)
    finally:
        subprocess.run(["podman", "rmi", "--force", "lock-probe"], check=False, capture_output=True)
