"""Fast tier: bake every combination of the toggles and check what comes out."""

from __future__ import annotations

import json
import os
import py_compile
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from .template import (
    COMBINATION_RULES,
    COMPONENT_MARKERS,
    TEMPLATE_DIR,
    TOGGLES,
    answers,
    bake_cookies,
    combination_id,
    is_text,
    is_valid_combination,
    load_hook,
    make_template_repository,
    project_files,
    toggle_combinations,
)

COMBINATIONS = list(toggle_combinations())
VALID = [toggles for toggles in COMBINATIONS if is_valid_combination(toggles)]
INVALID = [toggles for toggles in COMBINATIONS if not is_valid_combination(toggles)]
JINJA_OPENERS = ("{{", "{%", "{#")
# GitHub Actions expressions and docker/metadata-action patterns, which use braces of their own.
GITHUB_EXPRESSION = re.compile(r"\$\{\{.*?\}\}|pattern=\{\{version\}\}")
post_gen = load_hook("post_gen_project")
pre_gen = load_hook("pre_gen_project")


def parse(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        tomllib.loads(text)
    elif path.suffix in {".yaml", ".yml"}:
        list(yaml.safe_load_all(text))
    elif path.suffix == ".json":
        json.loads(text)
    elif path.suffix == ".py":
        py_compile.compile(str(path), doraise=True, cfile=str(path.parent / "compiled.pyc"))
        (path.parent / "compiled.pyc").unlink()


def run_tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_the_combination_rule_matches_the_hook() -> None:
    for toggles in COMBINATIONS:
        given = answers() | toggles
        broken = any(
            not rule.holds(given) for rule in pre_gen.RULES if rule.name in COMBINATION_RULES
        )
        assert broken == (not is_valid_combination(toggles))
    assert len(VALID) + len(INVALID) == 2 ** len(TOGGLES)


def test_the_code_that_runs_has_no_bandit_finding_above_low(cookies: Any) -> None:
    """The all-on project holds every module; its tests parse their own fixtures, so only the
    code that runs is scanned."""
    project = bake_cookies(cookies)
    bandit = run_tool("bandit", "--quiet", "--recursive", "-ll", "src", "scripts", cwd=project)
    assert bandit.returncode == 0, bandit.stdout + bandit.stderr


@pytest.mark.parametrize("toggles", VALID, ids=combination_id)
def test_every_valid_combination_bakes_clean(cookies: Any, toggles: dict[str, bool]) -> None:
    project = bake_cookies(cookies, **toggles)
    files = project_files(project)
    assert files, "nothing was generated"
    for path in filter(is_text, files):
        text = GITHUB_EXPRESSION.sub("", path.read_text(encoding="utf-8"))
        leftovers = [token for token in JINJA_OPENERS if token in text]
        assert not leftovers, f"{path.relative_to(project)} keeps {leftovers}"
        parse(path)
    empty = [p for p in project.rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert empty == []

    ruff = run_tool("ruff", "check", "--no-cache", ".", cwd=project)
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    black = run_tool("black", "--check", "--quiet", ".", cwd=project)
    assert black.returncode == 0, black.stdout + black.stderr

    for toggle, markers in COMPONENT_MARKERS.items():
        if toggles[toggle]:
            continue
        for path in filter(is_text, files):
            if path.name == post_gen.ANSWERS_FILE:
                continue
            text = path.read_text(encoding="utf-8").lower()
            found = [marker for marker in markers if marker in text]
            assert not found, f"{toggle} is off but {path.relative_to(project)} mentions {found}"


@pytest.mark.parametrize("toggles", INVALID, ids=combination_id)
def test_impossible_combinations_are_refused(cookies: Any, toggles: dict[str, bool]) -> None:
    result = cookies.bake(template=str(TEMPLATE_DIR), extra_context=toggles)
    assert result.exit_code != 0
    assert type(result.exception).__name__ == "FailedHookException"


def test_every_manifest_path_exists_when_its_component_is_on(cookies: Any) -> None:
    project = bake_cookies(cookies)
    package = answers()["package_name"]
    for paths in post_gen.COMPONENTS.values():
        for path in paths:
            assert (project / path.format(package=package)).exists(), path


def test_the_answers_are_recorded_for_regeneration(cookies: Any) -> None:
    project = bake_cookies(cookies, use_streamlit=False)
    recorded = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    context = recorded["context"]["cookiecutter"]
    assert recorded["template"] == str(TEMPLATE_DIR)
    assert context["use_streamlit"] is False
    assert context["package_name"] == "support_ticket_router"
    assert not {"_output_dir", "_repo_dir", "_checkout"} & set(context)


def test_post_generation_is_idempotent(tmp_path: Path) -> None:
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "file.txt").write_text("x", encoding="utf-8")
    (tmp_path / "empty" / "nested").mkdir(parents=True)
    given = answers() | {"_template": str(TEMPLATE_DIR), "_repo_dir": str(TEMPLATE_DIR)}
    post_gen.main(given, tmp_path)
    first = (tmp_path / ".cruft.json").read_text(encoding="utf-8")
    post_gen.main(given, tmp_path)
    assert (tmp_path / ".cruft.json").read_text(encoding="utf-8") == first
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cruft.json", "keep"]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("gh:org/fullstack-ds", "https://github.com/org/fullstack-ds.git"),
        ("https://example.org/t.git", "https://example.org/t.git"),
        ("git@github.com:org/t.git", "git@github.com:org/t.git"),
    ],
)
def test_remote_template_sources_are_recorded_as_urls(template: str, expected: str) -> None:
    assert post_gen.template_source({"_template": template}) == expected


@pytest.mark.parametrize("tool", ["cookiecutter", "cruft"])
def test_cruft_sees_a_fresh_project_as_up_to_date(tool: str, tmp_path: Path) -> None:
    template = make_template_repository(tmp_path / "template")
    output = tmp_path / "out"
    create = [sys.executable, "-m", tool] + (["create"] if tool == "cruft" else [])
    subprocess.run(
        [*create, "--no-input", "--output-dir", str(output), str(template)],
        check=True,
        capture_output=True,
    )
    project = output / "support-ticket-router"
    for check in (["check"], ["diff", "--exit-code"]):
        result = subprocess.run(
            [sys.executable, "-m", "cruft", *check], cwd=project, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("output", [".", "../projects"])
def test_a_template_given_as_a_relative_path_is_recorded_as_its_folder(
    output: str, tmp_path: Path
) -> None:
    template = make_template_repository(tmp_path / "template")
    shell = os.environ | {"PWD": str(template)}  # what a shell sets; the hooks run elsewhere
    subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--no-input", "--output-dir", output, "."],
        cwd=template,
        env=shell,
        check=True,
        capture_output=True,
    )
    recorded = json.loads((template / output / "support-ticket-router" / ".cruft.json").read_text())
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=template, capture_output=True, text=True, check=True
    )
    assert recorded["template"] == str(template.resolve())
    assert recorded["commit"] == head.stdout.strip()


def test_pruning_removes_owned_files_folders_and_what_they_leave_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = dict.fromkeys(post_gen.COMPONENTS, ()) | {
        "use_api": ("src/{package}/api", "mk/api.mk"),
    }
    monkeypatch.setattr(post_gen, "COMPONENTS", manifest)
    for path in ("src/pkg/api/app.py", "src/pkg/core.py", "mk/api.mk"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x", encoding="utf-8")
    off = answers(use_api=False, use_terraform=False) | {"package_name": "pkg"}
    assert post_gen.owned_paths(off) == ["src/pkg/api", "mk/api.mk"]
    assert post_gen.owned_paths(off | {"use_api": True}) == []
    post_gen.prune(tmp_path, post_gen.owned_paths(off))
    remaining = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert remaining == ["src", "src/pkg", "src/pkg/core.py"]
