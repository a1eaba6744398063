# /// script
# requires-python = ">=3.11"
# dependencies = ["cruft==2.16.0", "typer==0.29.2"]
# ///
"""Add, remove or update the template's components in this project without losing your edits.

The template is rendered twice with cruft: with the answers and version recorded in `.cruft.json`
(the base) and with the new answers or version (the target). Git then merges base -> target into
your tree as a three-way merge, as if the template were a branch: your edits stay, the template's
changes arrive, and where both touch the same lines the file gets standard conflict markers.
The result is staged, not committed, so `git diff --cached` shows exactly what changed.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any

import cruft
import typer
from cookiecutter.exceptions import CookiecutterException, FailedHookException
from cruft.exceptions import CruftError

ANSWERS_FILE = ".cruft.json"
TOGGLE_PREFIX = "use_"
# The openers of Jinja's expressions, statements and comments: cookiecutter renders the answers
# it is given, so an answer holding one would run as code.
JINJA_SYNTAX = re.compile(r"\{[#%{]")
# `git status --porcelain` codes of unmerged paths, and what each means here.
CONFLICTS = {
    "UU": "changed by you and by the template",
    "AA": "added by you and by the template",
    "UD": "changed by you, deleted by the template: kept",
    "DU": "deleted by you, changed by the template",
    "AU": "added by you, the template changed it",
    "UA": "added by the template where you changed it",
    "DD": "deleted by both",
}

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Add or remove a component, or merge in a newer template, keeping your edits.",
)


class RefusalError(Exception):
    """A reason not to touch the project, shown as one line."""


def git(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, success: tuple[int, ...] = (0,)
) -> str:
    """Run git in `cwd` and return its output; raise when it exits with another code."""
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in success:
        raise RefusalError(f"git {args[0]} failed: {(result.stderr or result.stdout).strip()}")
    return result.stdout


def require_clean_repository(root: Path) -> None:
    """Refuse outside git, below the top level, before the first commit or with changes."""
    try:
        top = Path(git("rev-parse", "--show-toplevel", cwd=root).strip())
    except RefusalError:
        raise RefusalError(
            "not a git repository: run `git init && git add -A && git commit -m 'Generate'` first,"
            " so that your edits can be merged and nothing can be lost"
        ) from None
    if top.resolve() != root.resolve():
        raise RefusalError(f"run this from the repository's top level: {top}")
    try:
        git("rev-parse", "--verify", "--quiet", "HEAD", cwd=root)
    except RefusalError:
        raise RefusalError("the repository has no commit yet: commit the project first") from None
    changes = git("status", "--porcelain", cwd=root).splitlines()
    if changes:
        listed = ", ".join(line[3:] for line in changes[:5]) + (", ..." if len(changes) > 5 else "")
        raise RefusalError(f"uncommitted changes ({listed}): commit or stash them first")


def read_answers_file(root: Path) -> dict[str, Any]:
    path = root / ANSWERS_FILE
    if not path.is_file():
        raise RefusalError(f"no {ANSWERS_FILE} here: the project's template answers are unknown")
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if not document.get("commit"):
        raise RefusalError(
            f"{ANSWERS_FILE} records no template commit (the project was generated from a folder"
            " that is not a git repository), so the template it came from cannot be rebuilt"
        )
    return document


def answers_of(document: Mapping[str, Any]) -> dict[str, Any]:
    """The user's answers: the recorded context without cookiecutter's private keys."""
    context: dict[str, Any] = document["context"]["cookiecutter"]
    return {key: value for key, value in context.items() if not key.startswith("_")}


def texts(value: Any) -> Iterator[str]:
    """Every string in an answer, as cookiecutter renders each of them."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from texts(key)
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def require_plain_answers(answers: Mapping[str, Any]) -> None:
    """Refuse answers holding Jinja syntax, which rendering would run: the answers file is part
    of the repository, and anyone who can change it must not be able to run code here."""
    for key, value in answers.items():
        if any(JINJA_SYNTAX.search(text) for text in texts(value)):
            raise RefusalError(
                f"{ANSWERS_FILE} records Jinja syntax in the answer {key!r}, which would run as"
                " code: nothing was rendered; make it plain text and commit that first"
            )


def forget_modules_deleted_since(imported: set[str]) -> None:
    """Forget the modules imported since `imported` whose files are gone: the template's Jinja
    extensions, imported from the checkout that cruft deletes, so that the next render imports
    those of its own version."""
    for name in set(sys.modules) - imported:
        location = getattr(sys.modules[name], "__file__", None)
        if location and not Path(location).exists():
            del sys.modules[name]


def render(template: str, checkout: str | None, answers: Mapping[str, Any], into: Path) -> Path:
    """Generate the project from the template at `checkout` (newest if None) with `answers`."""
    imported = set(sys.modules)
    try:
        project = cruft.create(
            template, output_dir=into, checkout=checkout, extra_context=dict(answers)
        )
        return Path(project)
    except FailedHookException:
        raise RefusalError("the template refused these answers, for the reasons above") from None
    except (CookiecutterException, CruftError) as error:
        raise RefusalError(str(error)) from None
    finally:
        forget_modules_deleted_since(imported)


def rendered_tree(
    root: Path, template: str, checkout: str | None, answers: Mapping[str, Any], scratch: Path
) -> tuple[str, dict[str, Any]]:
    """Render the template into the repository's object store: its tree and its cruft state."""
    project = render(template, checkout, answers, scratch)
    state: dict[str, Any] = json.loads((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    (project / ANSWERS_FILE).unlink()  # the project's own answers file is written by `record`
    index = {"GIT_INDEX_FILE": str(scratch / "index")}
    git("--work-tree", str(project), "add", "--all", "--force", ".", cwd=root, env=index)
    return git("write-tree", cwd=root, env=index).strip(), state


def conflicts(root: Path) -> list[str]:
    """The unmerged paths left by the merge, each with what happened to it."""
    status = git("status", "--porcelain", "--untracked-files=no", cwd=root).splitlines()
    return [f"{line[3:]}: {CONFLICTS[line[:2]]}" for line in status if line[:2] in CONFLICTS]


def record(
    document: dict[str, Any],
    context: Mapping[str, Any],
    commit: str,
    checkout: str | None,
    root: Path,
) -> None:
    """Store the new context and version in the answers file, keeping its key order."""
    recorded = document["context"]["cookiecutter"]
    merged = {key: context[key] for key in recorded if key in context} | dict(context)
    updated = document | {
        "commit": commit,
        "checkout": checkout,
        "context": document["context"] | {"cookiecutter": merged},
    }
    if updated != document:
        text = json.dumps(updated, indent=2, ensure_ascii=False) + "\n"
        (root / ANSWERS_FILE).write_text(text, encoding="utf-8")
        git("add", ANSWERS_FILE, cwd=root)


def prepare(root: Path) -> dict[str, Any]:
    """The recorded answers, once the repository is known to be safe to merge into and the
    answers to render."""
    require_clean_repository(root)
    document = read_answers_file(root)
    require_plain_answers(answers_of(document))
    return document


def merge(
    root: Path,
    document: dict[str, Any],
    answers: Mapping[str, Any],
    version: str | None,
    checkout: str | None,
) -> None:
    """Merge the template's change from the recorded render to the new one into the project.

    `version` is the template commit to render (None: its newest); `checkout` is recorded.
    """
    with tempfile.TemporaryDirectory(prefix="template-merge-") as scratch:
        template, recorded = document["template"], answers_of(document)
        base, _ = rendered_tree(root, template, document["commit"], recorded, Path(scratch, "base"))
        target, state = rendered_tree(root, template, version, answers, Path(scratch, "target"))
    if base == target:
        typer.echo("The template gives the same files as before: nothing to merge.")
    else:
        # Labels the template's side of conflict markers.
        label = {f"GITHEAD_{target}": f"template {state['commit'][:12]}"}
        git("merge-recursive", base, "--", "HEAD", target, cwd=root, env=label, success=(0, 1))
    record(document, state["context"]["cookiecutter"], state["commit"], checkout, root)
    unmerged = conflicts(root)
    if unmerged:
        typer.echo("Merged with conflicts: resolve them, `git add` them, then commit.", err=True)
        for line in unmerged:
            typer.echo(f"  {line}", err=True)
        typer.echo("To undo the whole merge instead: `git reset --hard`.", err=True)
        raise typer.Exit(1)
    typer.echo("Merged and staged: review with `git diff --cached`, then commit.")


def toggle_for(component: str, answers: Mapping[str, Any]) -> str:
    """The answer that switches `component` on or off (`github-actions` -> `use_github_actions`)."""
    toggle = TOGGLE_PREFIX + component.strip().lower().replace("-", "_").removeprefix(TOGGLE_PREFIX)
    if toggle not in answers:
        toggles = [key for key in answers if key.startswith(TOGGLE_PREFIX)]
        names = ", ".join(key.removeprefix(TOGGLE_PREFIX) for key in toggles)
        raise RefusalError(f"unknown component {component!r}: choose one of {names}")
    return toggle


def switch(component: str, on: bool) -> None:
    root = Path.cwd()
    document = prepare(root)
    answers = answers_of(document)
    toggle = toggle_for(component, answers)
    if answers[toggle] == on:
        typer.echo(f"{toggle.removeprefix(TOGGLE_PREFIX)} is already {'on' if on else 'off'}.")
        return
    changed = {**answers, toggle: on}
    merge(root, document, changed, version=document["commit"], checkout=document.get("checkout"))


@app.command()
def add(component: str) -> None:
    """Switch a component on: its files arrive and shared files gain its parts."""
    switch(component, on=True)


@app.command()
def remove(component: str) -> None:
    """Switch a component off: its files go, except those you changed, which are listed."""
    switch(component, on=False)


@app.command()
def update(
    checkout: Annotated[str | None, typer.Option(help="Template branch, tag or commit")] = None,
) -> None:
    """Merge in a newer version of the template (its newest commit unless --checkout)."""
    root = Path.cwd()
    document = prepare(root)
    merge(root, document, answers_of(document), version=checkout, checkout=checkout)


@app.command()
def check() -> None:
    """Fail when the template has moved on from the version this project records."""
    if not cruft.check(Path.cwd()):
        typer.echo("Merge the newer version in with `make update-template`.", err=True)
        raise typer.Exit(1)


def main() -> None:
    # The template's hooks explain a refusal themselves; cookiecutter's traceback adds nothing.
    logging.getLogger("cookiecutter").addHandler(logging.NullHandler())
    try:
        app()
    except RefusalError as refusal:
        typer.echo(f"error: {refusal}", err=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
