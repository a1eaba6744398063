"""Prune the components that were not selected, record the answers for regeneration and print
the next steps.

Pruning is declarative: COMPONENTS maps each toggle to the paths its component owns.
The hook is idempotent and touches nothing outside the generated project.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

# The answers as JSON in a raw string; tojson escapes ' so the quotes must stay single.
RENDERED_ANSWERS = r'{{ cookiecutter | tojson }}'  # fmt: skip

# Component toggle -> paths (relative to the project root) that the component owns.
# "{package}" stands for the package name.
COMPONENTS: dict[str, tuple[str, ...]] = {
    "use_api": (
        "src/{package}/api",
        "tests/api",
        "mk/api.mk",
        "loadtest",
        "tests/demo/test_api_routing.py",
    ),
    "use_docker": (
        "Dockerfile",
        ".dockerignore",
        "compose.yaml",
        "mk/docker.mk",
        "src/{package}/api/probe.py",
        "tests/api/test_container.py",
        ".github/workflows/docker.yml",
    ),
    "use_github_actions": (".github",),
    "use_terraform": (
        "infra",
        "mk/terraform.mk",
        ".github/workflows/terraform.yml",
        ".github/workflows/deploy.yml",
        "src/{package}/scale/terraform.py",
        "src/{package}/scale/fargate.py",
        "src/{package}/scale/remote.py",
        "tests/scale/terraform_outputs.py",
        "tests/scale/test_fargate.py",
        "tests/scale/test_remote.py",
        ".github/workflows/monitor.yml",
    ),
    "use_streamlit": (
        "src/{package}/demo",
        "tests/demo",
        "mk/demo.mk",
        ".streamlit",
        "infra/demo.tf",
        "data/examples.csv",
    ),
    "use_annotation": (
        "src/{package}/annotation",
        "tests/annotation",
        "mk/annotation.mk",
        "docs/annotation_guide.md",
    ),
    "use_mlflow": (
        "src/{package}/experiments",
        "tests/experiments",
        "mk/mlflow.mk",
        "infra/mlflow.tf",
        "infra/bootstrap/experiments.tf",
    ),
    "use_dask": (
        "src/{package}/scale",
        "tests/scale",
        "mk/scale.mk",
        "infra/scale.tf",
        "infra/modules/ecs-task",
    ),
    "use_monitoring": (
        "src/{package}/monitoring",
        "tests/monitoring",
        "mk/monitoring.mk",
        "infra/monitoring.tf",
        "infra/bootstrap/monitoring.tf",
        "src/{package}/demo/pages/monitoring.py",
        "tests/demo/test_monitoring_page.py",
        "src/{package}/annotation/served.py",
        "tests/annotation/test_served.py",
        ".github/workflows/monitor.yml",
    ),
}

# The first steps in a new project, then what each component adds: (command, what it does).
FIRST_STEPS: tuple[tuple[str, str], ...] = (
    ("git init && make install", "a repository first: make install adds its pre-commit hooks"),
    ('git add -A && git commit -m "Generate the project"', ""),
    ("make train", "train, evaluate and store a model (commit the model card it updates)"),
    ("make test", "the tests (make coverage: with coverage, as CI runs them)"),
)
COMPONENT_STEPS: dict[str, tuple[str, str]] = {
    "use_api": ("make serve", "the API on http://127.0.0.1:8000/docs"),
    "use_streamlit": ("make demo", "the demo on http://127.0.0.1:8501"),
    "use_annotation": ("make annotate", "Label Studio on http://127.0.0.1:8080"),
    "use_mlflow": ("make mlflow-ui", "the MLflow UI on http://127.0.0.1:5000"),
    "use_dask": (
        "make batch-predict INPUT=data/unlabelled.csv OUTPUT=predictions",
        "score a file on a local Dask cluster",
    ),
    "use_docker": ("make docker-build", "the container images"),
    "use_terraform": ("see infra/README.md", "to deploy to AWS: bootstrap once, then make tf-plan"),
    "use_github_actions": ("git push", "to a GitHub repository: CI runs on GitHub Actions"),
}
LAST_STEP = ("make help", "every target; README.md explains them")

# Context keys that describe one run of cookiecutter rather than the project.
RUN_ONLY_KEYS = ("_output_dir", "_repo_dir", "_checkout")
ANSWERS_FILE = ".cruft.json"
HOSTED_ABBREVIATIONS = {
    "gh": "https://github.com/{}.git",
    "gl": "https://gitlab.com/{}.git",
    "bb": "https://bitbucket.org/{}",
}


def owned_paths(answers: Mapping[str, Any]) -> list[str]:
    """Paths owned by the components that are switched off."""
    return [
        path.format(package=answers["package_name"])
        for toggle, paths in COMPONENTS.items()
        if not answers[toggle]
        for path in paths
    ]


def prune(root: Path, paths: Iterable[str]) -> None:
    """Delete the given paths, then every directory left empty."""
    for relative in paths:
        target = root / relative
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    for directory in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()


def template_folder(answers: Mapping[str, Any]) -> Path | None:
    """The template's folder. Cookiecutter passes it as typed, so a relative path is relative to
    where cookiecutter ran: the output folder by default, else the shell's working directory."""
    if not answers.get("_repo_dir"):
        return None
    folder = Path(answers["_repo_dir"])
    if folder.is_absolute():
        return folder.resolve()
    for base in (answers.get("_output_dir"), os.environ.get("PWD")):
        if base and (Path(base) / folder / "cookiecutter.json").is_file():
            return (Path(base) / folder).resolve()
    return None


def template_source(answers: Mapping[str, Any]) -> str:
    """Where the template came from, in a form cruft can clone or read again."""
    template = str(answers["_template"])
    abbreviation = re.fullmatch(r"(gh|gl|bb):(.+)", template)
    if abbreviation:
        prefix, repository = abbreviation.groups()
        return HOSTED_ABBREVIATIONS[prefix].format(repository)
    folder = template_folder(answers)
    if re.match(r"[a-z+]+://|git@", template) or folder is None:
        return template
    return str(folder)


def template_commit(answers: Mapping[str, Any]) -> str | None:
    """The template's git commit when it was generated from a git checkout (read-only)."""
    folder = template_folder(answers)
    if folder is None:
        return None
    result = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else None


def recorded_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The `.cruft.json` document: template source, commit and the answers."""
    commit = template_commit(answers)
    context = {key: value for key, value in answers.items() if key not in RUN_ONLY_KEYS}
    context |= {"_template": template_source(answers), "_commit": commit}
    context = dict(sorted(context.items()))
    return {
        "template": context["_template"],
        "commit": commit,
        "checkout": answers.get("_checkout"),
        "context": {"cookiecutter": context},
        "directory": None,
    }


def next_steps(answers: Mapping[str, Any], root: Path, working_directory: Path) -> str:
    """What to run next in the new project, for the components chosen."""
    folder = (
        os.path.relpath(root, working_directory)
        if root.is_relative_to(working_directory)
        else str(root)
    )
    steps = [
        ("cd " + shlex.quote(folder), ""),
        *FIRST_STEPS,
        *(step for toggle, step in COMPONENT_STEPS.items() if answers[toggle]),
        LAST_STEP,
    ]
    width = max(len(command) for command, meaning in steps if meaning)
    lines = [f"  {command:<{width}}  {meaning}".rstrip() for command, meaning in steps]
    return "\n".join([f"Generated {root.name}. Next steps:", *lines])


def main(answers: Mapping[str, Any], root: Path) -> int:
    """Prune; unless cruft is generating (a regeneration), write the answers file and print the
    next steps."""
    prune(root, owned_paths(answers))
    if "_commit" not in answers:
        document = json.dumps(recorded_answers(answers), indent=2, ensure_ascii=False)
        (root / ANSWERS_FILE).write_text(document + "\n", encoding="utf-8")
        print(next_steps(answers, root, Path(os.environ.get("PWD") or Path.cwd())))
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(RENDERED_ANSWERS), Path.cwd()))
