"""Regeneration tier: components are added to and removed from edited projects, and template
updates are merged, by the generated project's own `make` targets, without losing an edit."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pytest

from .running import commit_all, make, run
from .template import (
    TOGGLES,
    is_valid_combination,
    make_template_repository,
    project_files,
    require_tools,
)

pytestmark = pytest.mark.real
PACKAGE = "support_ticket_router"
SLUG = "support-ticket-router"


@dataclass(frozen=True)
class Edit:
    """A user's edit: `new` replaces the one occurrence of `old` (appended when `old` is "")."""

    path: str
    old: str
    new: str

    def apply(self, project: Path) -> bool:
        """Make the edit if its file is there; whether it was made."""
        path = project / self.path.format(package=PACKAGE)
        if not path.is_file():
            return False
        text = path.read_text(encoding="utf-8")
        if not self.old:
            path.write_text(text + self.new, encoding="utf-8")
            return True
        assert text.count(self.old) == 1, f"{self.path}: {self.old!r} is not there once"
        path.write_text(text.replace(self.old, self.new), encoding="utf-8")
        return True

    def is_in(self, project: Path) -> bool:
        path = project / self.path.format(package=PACKAGE)
        return self.new in path.read_text(encoding="utf-8")


# What users do to a fresh project: their own lines at the top of lists and at the ends of files,
# in every shared file that a component changes and in core modules.
EDITS = (
    Edit("README.md", "Router\n\n", "Router\n\n![CI](https://example.org/ci.svg)\n\n"),
    Edit("README.md", "", "\n## Team notes\n\nQuestions go to #ml-support.\n"),
    Edit("pyproject.toml", 'version = "0.1.0"', 'version = "0.2.0"'),
    Edit("pyproject.toml", "dependencies = [\n", 'dependencies = [\n    "numpy>=2",\n'),
    Edit("pyproject.toml", '"ruff==0.17.6",\n]', '"ruff==0.17.6",\n    "ipython",\n]'),
    Edit("pyproject.toml", "", '\n[tool.codespell]\nskip = "data/*"\n'),
    Edit(".gitignore", "", "\n# Notebooks\n.ipynb_checkpoints/\n"),
    Edit(
        "Makefile", "", "\nnotebook: ## Start Jupyter\n\t$(UV) run --with jupyterlab jupyter lab\n"
    ),
    Edit("src/{package}/labels.py", "What the model routes:", "What the router decides:"),
    Edit("src/{package}/model.py", "max_iter=2000", "max_iter=3000"),
    Edit(
        "Dockerfile", "EXPOSE 8000\n", 'EXPOSE 8000\nLABEL org.opencontainers.image.vendor="Ex"\n'
    ),
    Edit("Dockerfile", "", "\n# Our own stage\nFROM api AS debug\n"),
    Edit(".dockerignore", "", "notebooks/\n"),
    Edit("compose.yaml", "${API_PORT:-8000}", "${API_PORT:-8001}"),
    Edit("compose.yaml", "", "\n  mailpit:\n    image: axllent/mailpit:v1.27\n"),
    Edit(
        "mk/docker.mk", "", "\ndocker-prune: ## Remove dangling images\n\t$(DOCKER) image prune\n"
    ),
    Edit(
        "mk/annotation.mk",
        "",
        "\nannotate-backup: ## Copy the local Label Studio\n\tcp -r .label-studio backup/\n",
    ),
    Edit(
        ".github/dependabot.yml",
        "ecosystem: uv\n    directory: /\n    schedule:\n      interval: weekly",
        "ecosystem: uv\n    directory: /\n    schedule:\n      interval: daily",
    ),
    Edit(
        ".github/dependabot.yml",
        "",
        "  - package-ecosystem: npm\n    directory: /web\n    schedule:\n      interval: daily\n",
    ),
    Edit(
        ".github/workflows/model.yml",
        "  pull_request:\n",
        "  pull_request:\n  workflow_dispatch:\n",
    ),
    Edit(".github/workflows/docker.yml", 'tags: ["v*"]\n', 'tags: ["v*"]\n  workflow_dispatch:\n'),
    Edit("infra/README.md", "", "\n## Our accounts\n\nStaging is 111111111111.\n"),
    Edit("infra/bootstrap/main.tf", '"terraform"\n', '"terraform"\n      Owner     = "ml-team"\n'),
    Edit(
        "src/{package}/demo/settings.py",
        "",
        '    page_title: str = Field("Router", description="Browser tab title.")\n',
    ),
    Edit(
        "src/{package}/demo/routing.py",
        "",
        '\n\ndef describe(router: Router) -> str:\n    return f"model {router.version}"\n',
    ),
    # Our notes near the tops of the files whose ends the scale component changes.
    Edit("infra/.gitignore", ".terraform/\n", ".terraform/\n*.tfstate.backup\n"),
    Edit(
        "mk/scale.mk",
        "(included by the Makefile).\n",
        "(included by the Makefile).\n# Owner: ML team.\n",
    ),
    Edit("src/{package}/scale/cli.py", '--help\n"""\n', '--help\n"""\n\n# Owner: ML team.\n'),
    Edit("tests/scale/test_parallel.py", 'does here."""\n', 'does here."""\n\n# Owner: ML team.\n'),
    # ...and of the monitoring modules whose ends or imports the experiments component changes.
    Edit("src/{package}/monitoring/cli.py", '--help\n"""\n', '--help\n"""\n\n# Owner: ML team.\n'),
    *(
        Edit(path, 'then the switch."""\n', 'then the switch."""\n\n# Owner: ML team.\n')
        for path in ("src/{package}/monitoring/promotion.py", "tests/monitoring/test_promote.py")
    ),
    # Our notes at the ends of the files that the experiments, scale and monitoring components
    # change.
    *(
        Edit(path, "", "\n# Reviewed by the ML team.\n")
        for path in (
            "infra/bootstrap/boundary.tf",
            "infra/bootstrap/deploy.tf",
            "infra/bootstrap/github.tf",
            "src/{package}/training.py",
            "src/{package}/cli.py",
            "src/{package}/store.py",
            "src/{package}/api/app.py",
            "src/{package}/api/schemas.py",
            "src/{package}/demo/pages/model.py",
            "src/{package}/demo/app.py",
            "src/{package}/annotation/cli.py",
            "mk/annotation.mk",
            "infra/demo.tf",
            "tests/conftest.py",
            "tests/isolation.py",
            "tests/api/test_app.py",
            "tests/demo/test_pages.py",
            "src/{package}/settings.py",
            "src/{package}/experiments/tuning.py",
            "src/{package}/scale/cluster.py",
            "src/{package}/scale/settings.py",
            "tests/scale/test_cli.py",
            "infra/service.tf",
            "infra/iam.tf",
            "infra/storage.tf",
        )
    ),
)


def project_without(toggle: str, lean: bool) -> dict[str, bool]:
    """The leanest (or richest) valid project without the component that can take it."""
    others = [name for name in TOGGLES if name != toggle]
    sizes = range(len(others) + 1) if lean else range(len(others), -1, -1)
    for size in sizes:
        for chosen in combinations(others, size):
            base = dict.fromkeys(TOGGLES, False) | dict.fromkeys(chosen, True)
            if is_valid_combination(base) and is_valid_combination(base | {toggle: True}):
                return base
    raise AssertionError(f"no project can take {toggle}")


@pytest.fixture(scope="session")
def template_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This template committed to a repository of its own, which the projects record."""
    return make_template_repository(tmp_path_factory.mktemp("template") / "fullstack-ds")


def generate(
    template: Path, output: Path, toggles: dict[str, bool], tool: str = "cookiecutter"
) -> Path:
    """Generate a project as a user does with `tool`, and commit it."""
    if tool == "cruft":
        command, answers = ["cruft", "create", "--extra-context", json.dumps(toggles)], []
    else:
        command = ["cookiecutter"]
        answers = [f"{name}={'yes' if on else 'no'}" for name, on in toggles.items()]
    options = ["--no-input", "--output-dir", str(output)]
    subprocess.run(
        [sys.executable, "-m", *command, *options, str(template), *answers],
        check=True,
        capture_output=True,
    )
    project = output / SLUG
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    commit_all(project, "Generated")
    return project


def contents(project: Path) -> dict[str, bytes]:
    """Each file of the project by its relative path."""
    files = project_files(project)
    return {path.relative_to(project).as_posix(): path.read_bytes() for path in files}


def git_lines(project: Path, *arguments: str) -> list[str]:
    return run(["git", *arguments], project).stdout.splitlines()


def assert_merged_cleanly(result: subprocess.CompletedProcess[str], project: Path) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Merged and staged" in result.stdout
    assert git_lines(project, "diff", "--name-only", "--diff-filter=U") == []
    files = contents(project)
    assert not [path for path in files if path.endswith((".rej", ".orig"))]
    assert not [path for path, text in files.items() if b"\n<<<<<<< " in text]


@pytest.mark.parametrize("lean", [True, False], ids=["lean", "rich"])
@pytest.mark.parametrize("toggle", TOGGLES)
def test_a_component_is_added_to_an_edited_project_and_removed_again(
    toggle: str, lean: bool, template_repository: Path, tmp_path: Path
) -> None:
    require_tools("uv", "make", "git")
    component = toggle.removeprefix("use_")
    base = project_without(toggle, lean)
    project = generate(template_repository, tmp_path / "project", base)
    generated = contents(project)
    edits = [edit for edit in EDITS if edit.apply(project)]
    commit_all(project, "Our edits")
    edited = git_lines(project, "rev-parse", "HEAD")[0]

    assert_merged_cleanly(make(project, "add-component", f"NAME={component}"), project)
    # The result is what generating with the component gives, plus every edit.
    expected = generate(template_repository, tmp_path / "expected", base | {toggle: True})
    shared = {
        path
        for path, text in contents(expected).items()
        if path in generated and generated[path] != text and path != ".cruft.json"
    }
    assert shared <= {edit.path.format(package=PACKAGE) for edit in edits}, "edit these too"
    for edit in edits:
        assert edit.apply(expected)
    assert contents(project) == contents(expected)
    if lean:
        check = tmp_path / "check"
        shutil.copytree(project, check, ignore=shutil.ignore_patterns(".git"))
        tests = run(["make", "test"], check)
        assert " passed" in tests.stdout

    commit_all(project, f"Add {component}")
    assert_merged_cleanly(make(project, "remove-component", f"NAME={component}"), project)
    assert git_lines(project, "diff", "--name-only", edited) == []
    assert git_lines(project, "ls-files", "--others", "--exclude-standard") == []


def test_an_edit_next_to_a_template_change_is_a_reported_conflict(
    template_repository: Path, tmp_path: Path
) -> None:
    require_tools("uv", "make", "git")
    project = generate(template_repository, tmp_path, project_without("use_api", lean=True))
    pyproject = project / "pyproject.toml"
    end_of_dev = '"ruff==0.17.6",\n]\n'  # where the API's dependency groups go
    ours = 'docs = [\n    "mkdocs==1.6.1",\n]\n'
    pyproject.write_text(pyproject.read_text().replace(end_of_dev, end_of_dev + ours))
    commit_all(project, "Our docs group")

    result = make(project, "add-component", "NAME=api")
    assert result.returncode != 0
    assert "pyproject.toml: changed by you and by the template" in result.stderr
    assert git_lines(project, "diff", "--name-only", "--diff-filter=U") == ["pyproject.toml"]
    merged = pyproject.read_text().splitlines()
    assert "<<<<<<< HEAD" in merged
    assert set(ours.splitlines()) <= set(merged)
    assert '    "fastapi==0.165.0",' in merged


def test_files_of_a_removed_component_that_you_changed_are_kept_and_listed(
    template_repository: Path, tmp_path: Path
) -> None:
    require_tools("uv", "make", "git")
    toggles = dict.fromkeys(TOGGLES, False) | {"use_api": True}
    project = generate(template_repository, tmp_path, toggles)
    api = project / "src" / PACKAGE / "api"
    ours = "\n# Our rate limiter goes here.\n"
    (api / "app.py").write_text((api / "app.py").read_text() + ours)
    commit_all(project, "Our change to the API")

    result = make(project, "remove-component", "NAME=api")
    assert result.returncode != 0
    kept = f"src/{PACKAGE}/api/app.py: changed by you, deleted by the template: kept"
    assert kept in result.stderr
    assert (api / "app.py").read_text().endswith(ours)
    assert sorted(path.name for path in api.iterdir()) == ["app.py"]
    assert not (project / "mk" / "api.mk").exists()
    assert "fastapi" not in (project / "pyproject.toml").read_text()


def test_refusals_explain_themselves_and_change_nothing(
    template_repository: Path, tmp_path: Path
) -> None:
    require_tools("uv", "make", "git")
    project = generate(template_repository, tmp_path / "project", dict.fromkeys(TOGGLES, False))
    head = git_lines(project, "rev-parse", "HEAD")
    refusals = {
        "NAME=kubernetes": "unknown component 'kubernetes': choose one of ",
        "NAME=terraform": "use_terraform needs use_api and use_docker",
    }
    for name, reason in refusals.items():
        result = make(project, "add-component", name)
        assert result.returncode != 0
        assert reason in result.stderr
        assert "Traceback" not in result.stderr
    already = make(project, "remove-component", "NAME=streamlit")
    assert already.returncode == 0
    assert "streamlit is already off." in already.stdout
    assert git_lines(project, "status", "--porcelain") == []
    assert git_lines(project, "rev-parse", "HEAD") == head

    readme = project / "README.md"
    readme.write_text(readme.read_text() + "Work in progress.\n")
    dirty = make(project, "add-component", "NAME=api")
    assert dirty.returncode != 0
    assert "uncommitted changes (README.md): commit or stash them first" in dirty.stderr
    assert git_lines(project, "status", "--porcelain") == [" M README.md"]

    outside = tmp_path / "outside"
    shutil.copytree(project, outside, ignore=shutil.ignore_patterns(".git"))
    result = make(outside, "add-component", "NAME=api")
    assert result.returncode != 0
    assert "not a git repository" in result.stderr
    assert contents(outside) == contents(project)


@pytest.mark.parametrize("target", ["add-component", "update-template"])
def test_recorded_answers_holding_jinja_are_refused_before_anything_is_rendered(
    target: str, template_repository: Path, tmp_path: Path
) -> None:
    require_tools("uv", "make", "git")
    project = generate(template_repository, tmp_path / "project", dict.fromkeys(TOGGLES, False))
    marker = tmp_path / "jinja-ran"
    payload = f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}"
    answers_file = project / ".cruft.json"
    recorded = json.loads(answers_file.read_text(encoding="utf-8"))
    recorded["context"]["cookiecutter"]["description"] = payload
    answers_file.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
    commit_all(project, "An answer that runs code when rendered")
    head = git_lines(project, "rev-parse", "HEAD")

    result = make(project, target, "NAME=api")
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        "error: .cruft.json records Jinja syntax in the answer 'description', which would run as"
        " code: nothing was rendered; make it plain text and commit that first"
    )
    assert not marker.exists()
    assert git_lines(project, "status", "--porcelain") == []
    assert git_lines(project, "rev-parse", "HEAD") == head


def test_a_project_generated_with_cruft_gains_a_component(
    template_repository: Path, tmp_path: Path
) -> None:
    require_tools("uv", "make", "git")
    base = dict.fromkeys(TOGGLES, False)
    project = generate(template_repository, tmp_path / "project", base, tool="cruft")
    edits = [edit for edit in EDITS if edit.apply(project)]
    commit_all(project, "Our edits")

    assert_merged_cleanly(make(project, "add-component", "NAME=streamlit"), project)
    expected = generate(
        template_repository, tmp_path / "expected", base | {"use_streamlit": True}, tool="cruft"
    )
    for edit in edits:
        edit.apply(expected)
    assert contents(project) == contents(expected)


def test_a_newer_template_version_is_merged_in_and_checked(
    template_repository: Path, tmp_path: Path
) -> None:
    require_tools("uv", "make", "git")
    template = tmp_path / "template"
    run(["git", "clone", "--quiet", str(template_repository), str(template)], tmp_path)
    project = generate(template, tmp_path / "out", dict.fromkeys(TOGGLES, False))
    edits = [edit for edit in EDITS if edit.apply(project)]
    commit_all(project, "Our edits")
    assert make(project, "check-template").returncode == 0

    # The template moves on twice: a line of the README changes (and how a name is derived, which
    # its Jinja extension must see in the newer version), then the project gains a file.
    source = template / "{{cookiecutter.project_slug}}"
    readme = source / "README.md"
    old_line = "make test    # runs the tests\n"
    new_line = "make test    # runs the tests (make coverage: with coverage)\n"
    assert old_line in readme.read_text()
    readme.write_text(readme.read_text().replace(old_line, new_line))
    answers = template / "cookiecutter.json"
    derived = "cookiecutter.project_slug | replace('-', '_')"
    answers.write_text(answers.read_text().replace(derived, f"({derived})"))
    commit_all(template, "A newer README")
    tagged = git_lines(template, "rev-parse", "HEAD")[0]
    (source / "docs" / "changelog.md").write_text("# Changelog\n")
    commit_all(template, "A changelog")
    newest = git_lines(template, "rev-parse", "HEAD")[0]

    outdated = make(project, "check-template")
    assert outdated.returncode != 0
    assert "make update-template" in outdated.stderr
    assert_merged_cleanly(make(project, "update-template", f"CHECKOUT={tagged}"), project)
    assert new_line in (project / "README.md").read_text()
    assert not (project / "docs" / "changelog.md").exists()
    assert json.loads((project / ".cruft.json").read_text())["commit"] == tagged
    commit_all(project, "Template update to a chosen version")

    assert_merged_cleanly(make(project, "update-template"), project)
    assert (project / "docs" / "changelog.md").read_text() == "# Changelog\n"
    assert all(edit.is_in(project) for edit in edits)
    recorded = json.loads((project / ".cruft.json").read_text())
    assert recorded["commit"] == recorded["context"]["cookiecutter"]["_commit"] == newest
    assert recorded["checkout"] is None
    commit_all(project, "Template update")
    assert make(project, "check-template").returncode == 0

    again = make(project, "update-template")
    assert again.returncode == 0, again.stderr
    assert "nothing to merge" in again.stdout
    assert git_lines(project, "status", "--porcelain") == []
