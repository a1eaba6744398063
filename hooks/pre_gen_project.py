"""Validate the answers before anything is written.

Every rule lives in RULES, one row each; the template's tests read the same table.
Problems are printed one line each on stderr, then a command that generates again with the
answers given (cookiecutter has no way to re-ask only one), and generation stops with exit code 1.
"""

from __future__ import annotations

import json
import keyword
import os
import re
import shlex
import sys
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

# The answers as JSON in a raw string; tojson escapes ' so the quotes must stay single.
RENDERED_ANSWERS = r'{{ cookiecutter | tojson }}'  # fmt: skip
# tojson sorts the answers by name; the prompts come in this order.
PROMPT_ORDER = r'{{ cookiecutter.keys() | list | tojson }}'  # fmt: skip

PYTHON_VERSIONS = ("3.11", "3.12", "3.13")
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "proprietary")

# Import names of the generated project's dependencies and of its own top-level folders.
DEPENDENCY_MODULES = frozenset(
    {
        "black",
        "click",
        "coverage",
        "docs",
        "fastapi",
        "fsspec",
        "httpx",
        "joblib",
        "label_studio",
        "label_studio_sdk",
        "locust",
        "matplotlib",
        "mypy",
        "numpy",
        "pandas",
        "pandera",
        "playwright",
        "pre_commit",
        "prometheus_client",
        "pydantic",
        "pydantic_settings",
        "pytest",
        "rich",
        "ruff",
        "schemathesis",
        "scipy",
        "sklearn",
        "src",
        "starlette",
        "streamlit",
        "test",
        "tests",
        "typer",
        "uvicorn",
    }
)

NAME_MAX_LENGTH = 40
SLUG_PATTERN = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
PACKAGE_PATTERN = re.compile(r"[a-z_][a-z0-9_]*")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
GITHUB_OWNER_PATTERN = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}")
AWS_REGION_PATTERN = re.compile(r"[a-z]{2}(-gov)?-[a-z]+-[0-9]")
# Answers that reach the files as they are typed, and the openers of Jinja's expressions,
# statements and comments (as in hooks/answers.py, which refuses them on the command line),
# written without one: this hook is a template too.
TEXT_ANSWERS = ("project_name", "description", "author_name", "author_email")
JINJA_SYNTAX = re.compile(r"\{[#%{]")

Answers = Mapping[str, Any]


class Rule(NamedTuple):
    """A check: when `holds(answers)` is false, `message` (formatted with the answers) is shown.
    The re-run command sets `answer` to `fix`, or leaves it for the user to change."""

    name: str
    holds: Callable[[Answers], bool]
    message: str
    answer: str
    fix: bool | None = None


def _matches(pattern: re.Pattern[str], key: str) -> Callable[[Answers], bool]:
    return lambda answers: bool(pattern.fullmatch(str(answers[key])))


def _is_name(pattern: re.Pattern[str], key: str) -> Callable[[Answers], bool]:
    matches = _matches(pattern, key)
    return lambda answers: len(str(answers[key])) <= NAME_MAX_LENGTH and matches(answers)


def _is_plain_text(key: str) -> Callable[[Answers], bool]:
    """No Jinja (a regeneration renders the recorded answers) and nothing UTF-8 cannot write."""

    def holds(answers: Answers) -> bool:
        text = str(answers[key])
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return not JINJA_SYNTAX.search(text)

    return holds


def _is_reserved(package: str) -> bool:
    return package in sys.stdlib_module_names or package in DEPENDENCY_MODULES


RULES: tuple[Rule, ...] = (
    Rule(
        "project_name_present",
        lambda a: bool(str(a["project_name"]).strip()),
        "project_name must not be empty",
        "project_name",
    ),
    *(
        Rule(
            f"{key}_plain_text",
            _is_plain_text(key),
            key + " {" + key + "!r} must be plain text: no Jinja syntax, which would run as code"
            " when the project is regenerated, and no bytes that are not UTF-8",
            key,
        )
        for key in TEXT_ANSWERS
    ),
    Rule(
        "project_slug_shape",
        _is_name(SLUG_PATTERN, "project_slug"),
        "project_slug {project_slug!r} must be lowercase letters, digits and single hyphens,"
        f" starting with a letter, at most {NAME_MAX_LENGTH} characters (e.g. support-router)",
        "project_slug",
    ),
    Rule(
        "package_name_identifier",
        _is_name(PACKAGE_PATTERN, "package_name"),
        "package_name {package_name!r} must be a lowercase Python identifier"
        f" of at most {NAME_MAX_LENGTH} characters (e.g. support_router)",
        "package_name",
    ),
    Rule(
        "package_name_not_keyword",
        lambda a: not keyword.iskeyword(a["package_name"]),
        "package_name {package_name!r} is a Python keyword; choose another package_name",
        "package_name",
    ),
    Rule(
        "package_name_not_shadowing",
        lambda a: not _is_reserved(a["package_name"]),
        "package_name {package_name!r} would shadow a standard-library or dependency module;"
        " choose another package_name",
        "package_name",
    ),
    Rule(
        "author_email_shape",
        _matches(EMAIL_PATTERN, "author_email"),
        "author_email {author_email!r} is not an e-mail address (expected name@domain.tld)",
        "author_email",
    ),
    Rule(
        "github_owner_shape",
        _matches(GITHUB_OWNER_PATTERN, "github_owner"),
        "github_owner {github_owner!r} is not a valid GitHub user or organisation name"
        " (letters, digits and single hyphens, at most 39 characters)",
        "github_owner",
    ),
    Rule(
        "python_version_supported",
        lambda a: a["python_version"] in PYTHON_VERSIONS,
        "python_version {python_version!r} is not supported; choose one of "
        + ", ".join(PYTHON_VERSIONS),
        "python_version",
    ),
    Rule(
        "license_known",
        lambda a: a["license"] in LICENSES,
        "license {license!r} is not offered; choose one of " + ", ".join(LICENSES),
        "license",
    ),
    Rule(
        "aws_region_shape",
        _matches(AWS_REGION_PATTERN, "aws_region"),
        "aws_region {aws_region!r} is not an AWS region name (e.g. eu-west-1)",
        "aws_region",
    ),
    Rule(
        "docker_needs_api",
        lambda a: not a["use_docker"] or a["use_api"],
        "use_docker needs use_api: the images serve the API",
        "use_docker",
        False,
    ),
    Rule(
        "terraform_needs_api_and_docker",
        lambda a: not a["use_terraform"] or (a["use_api"] and a["use_docker"]),
        "use_terraform needs use_api and use_docker: Terraform deploys the API container",
        "use_terraform",
        False,
    ),
    Rule(
        "monitoring_needs_api",
        lambda a: not a["use_monitoring"] or a["use_api"],
        "use_monitoring needs use_api: it logs what the API serves",
        "use_monitoring",
        False,
    ),
)


def broken_rules(answers: Answers) -> list[Rule]:
    """The rules that the answers break, in table order."""
    return [rule for rule in RULES if not rule.holds(answers)]


def problems(answers: Answers) -> list[str]:
    """Return one readable line per rule that the answers break."""
    return [rule.message.format(**answers) for rule in broken_rules(answers)]


def cookiecutter_program() -> list[str]:
    """The command that runs this cookiecutter again: uvx's environments are not on PATH."""
    if "archive-v0" in Path(sys.prefix).parts:  # uv's cache, where uvx runs a tool
        return ["uvx", f"cookiecutter=={metadata.version('cookiecutter')}"]
    return ["cookiecutter"]


def _command_line_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def rerun_command(answers: Answers, broken: list[Rule], order: list[str]) -> list[str]:
    """Cookiecutter with every answer given, in `order`, the ones to change last (fixed where
    a rule can)."""
    changes = {
        rule.answer: answers[rule.answer] if rule.fix is None else rule.fix for rule in broken
    }
    given = {key: answers[key] for key in order if key in answers and not key.startswith("_")}
    options = [str(answers["_template"]), "--no-input"]
    if answers.get("_checkout"):
        options += ["--checkout", str(answers["_checkout"])]
    if answers.get("_output_dir"):
        output, shell = Path(answers["_output_dir"]), Path(os.environ.get("PWD") or Path.cwd())
        if output != shell:
            shown = os.path.relpath(output, shell) if output.is_relative_to(shell) else str(output)
            options += ["--output-dir", shown]
    ordered = {key: value for key, value in given.items() if key not in changes} | changes
    pairs = [f"{key}={_command_line_value(value)}" for key, value in ordered.items()]
    return [*cookiecutter_program(), *options, *pairs]


def rerun_hint(answers: Answers, broken: list[Rule], order: list[str]) -> str:
    """How to generate again without retyping: what the command changes, then the command."""
    fixed = [
        f"{rule.answer}={_command_line_value(rule.fix)}" for rule in broken if rule.fix is not None
    ]
    to_change = list(dict.fromkeys(rule.answer for rule in broken if rule.fix is None))
    hint = "Nothing was generated. This command keeps your answers"
    if fixed:
        hint += f", with {' '.join(fixed)}"
    if to_change:
        hint += f"; change {' and '.join(to_change)} at its end, then run it"
    return f"{hint}:\n  {shlex.join(rerun_command(answers, broken, order))}"


def main(answers: Answers, order: list[str]) -> int:
    """Print every problem on stderr, then how to re-run; return the process exit code."""
    broken = broken_rules(answers)
    for rule in broken:
        print(f"ERROR: {rule.message.format(**answers)}", file=sys.stderr)
    if broken and "_commit" not in answers:  # cruft (a regeneration) sets _commit
        print(rerun_hint(answers, broken, order), file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(json.loads(RENDERED_ANSWERS), json.loads(PROMPT_ORDER)))
