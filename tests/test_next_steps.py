"""After generation: the next steps for the components chosen, printed and run nowhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .template import TEMPLATE_DIR, TOGGLES

# In the order shown: what runs on this machine first, then what ships it.
COMPONENT_COMMANDS = {
    "use_api": "make serve",
    "use_streamlit": "make demo",
    "use_annotation": "make annotate",
    "use_mlflow": "make mlflow-ui",
    "use_dask": "make batch-predict INPUT=data/unlabelled.csv OUTPUT=predictions",
    "use_docker": "make docker-build",
    "use_terraform": "see infra/README.md",
    "use_github_actions": "git push",
}
FIRST_COMMANDS = [
    "cd support-ticket-router",
    "git init && make install",
    'git add -A && git commit -m "Generate the project"',
    "make train",
    "make test",
]


def generate_in_shell(folder: Path, *answers: str) -> subprocess.CompletedProcess[str]:
    """Cookiecutter run from a shell in `folder`, which sets PWD as shells do."""
    return subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE_DIR), *answers],
        cwd=folder,
        env=dict(os.environ, PWD=str(folder)),
        capture_output=True,
        text=True,
        check=False,
    )


def commands(printed: str) -> list[str]:
    """The command column of the next-steps block (two spaces in, two or more before a note)."""
    block = printed.split("Next steps:\n", 1)[1]
    return [re.split(r" {2,}", line.strip())[0] for line in block.splitlines()]


def make_targets(project: Path) -> set[str]:
    makefiles = [project / "Makefile", *project.glob("mk/*.mk")]
    text = "\n".join(path.read_text(encoding="utf-8") for path in makefiles)
    return set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.MULTILINE))


@pytest.mark.parametrize(
    "off", [(), ("use_annotation", "use_terraform"), TOGGLES], ids=["all-on", "some-off", "all-off"]
)
def test_generation_prints_the_next_steps_for_the_components_chosen(
    off: tuple[str, ...], tmp_path: Path
) -> None:
    result = generate_in_shell(tmp_path, *(f"{toggle}=no" for toggle in off))
    assert result.returncode == 0, result.stderr
    listed = commands(result.stdout)
    chosen = [command for toggle, command in COMPONENT_COMMANDS.items() if toggle not in off]
    assert listed == [*FIRST_COMMANDS, *chosen, "make help"]
    assert len(result.stdout.splitlines()) <= 15
    project = tmp_path / "support-ticket-router"
    targets = make_targets(project)
    for command in listed:
        if command.startswith("make "):
            assert command.split()[1] in targets, command
    assert not (project / ".git").exists(), "the hook must not run git"


def test_the_next_steps_name_the_project_folder_from_where_cookiecutter_ran(
    tmp_path: Path,
) -> None:
    result = generate_in_shell(tmp_path, "--output-dir", "projects", "project_name=Parcel Desk")
    assert result.returncode == 0, result.stderr
    assert commands(result.stdout)[0] == "cd projects/parcel-desk"
