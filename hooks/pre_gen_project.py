"""Validate the answers before anything is written.

Every rule lives in RULES, one row each; the template's tests read the same table.
Problems are printed one line each on stderr and generation stops with exit code 1.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

# The answers as JSON in a raw string; tojson escapes ' so the quotes must stay single.
RENDERED_ANSWERS = r'{{ cookiecutter | tojson }}'  # fmt: skip

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
    """A check: when `holds(answers)` is false, `message` (formatted with the answers) is shown."""

    name: str
    holds: Callable[[Answers], bool]
    message: str


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
    ),
    *(
        Rule(
            f"{key}_plain_text",
            _is_plain_text(key),
            key + " {" + key + "!r} must be plain text: no Jinja syntax, which would run as code"
            " when the project is regenerated, and no bytes that are not UTF-8",
        )
        for key in TEXT_ANSWERS
    ),
    Rule(
        "project_slug_shape",
        _is_name(SLUG_PATTERN, "project_slug"),
        "project_slug {project_slug!r} must be lowercase letters, digits and single hyphens,"
        f" starting with a letter, at most {NAME_MAX_LENGTH} characters (e.g. support-router)",
    ),
    Rule(
        "package_name_identifier",
        _is_name(PACKAGE_PATTERN, "package_name"),
        "package_name {package_name!r} must be a lowercase Python identifier"
        f" of at most {NAME_MAX_LENGTH} characters (e.g. support_router)",
    ),
    Rule(
        "package_name_not_keyword",
        lambda a: not keyword.iskeyword(a["package_name"]),
        "package_name {package_name!r} is a Python keyword; choose another package_name",
    ),
    Rule(
        "package_name_not_shadowing",
        lambda a: not _is_reserved(a["package_name"]),
        "package_name {package_name!r} would shadow a standard-library or dependency module;"
        " choose another package_name",
    ),
    Rule(
        "author_email_shape",
        _matches(EMAIL_PATTERN, "author_email"),
        "author_email {author_email!r} is not an e-mail address (expected name@domain.tld)",
    ),
    Rule(
        "github_owner_shape",
        _matches(GITHUB_OWNER_PATTERN, "github_owner"),
        "github_owner {github_owner!r} is not a valid GitHub user or organisation name"
        " (letters, digits and single hyphens, at most 39 characters)",
    ),
    Rule(
        "python_version_supported",
        lambda a: a["python_version"] in PYTHON_VERSIONS,
        "python_version {python_version!r} is not supported; choose one of "
        + ", ".join(PYTHON_VERSIONS),
    ),
    Rule(
        "license_known",
        lambda a: a["license"] in LICENSES,
        "license {license!r} is not offered; choose one of " + ", ".join(LICENSES),
    ),
    Rule(
        "aws_region_shape",
        _matches(AWS_REGION_PATTERN, "aws_region"),
        "aws_region {aws_region!r} is not an AWS region name (e.g. eu-west-1)",
    ),
    Rule(
        "docker_needs_api",
        lambda a: not a["use_docker"] or a["use_api"],
        "use_docker needs use_api: the images serve the API",
    ),
    Rule(
        "terraform_needs_api_and_docker",
        lambda a: not a["use_terraform"] or (a["use_api"] and a["use_docker"]),
        "use_terraform needs use_api and use_docker: Terraform deploys the API container",
    ),
)


def problems(answers: Answers) -> list[str]:
    """Return one readable line per rule that the answers break."""
    return [rule.message.format(**answers) for rule in RULES if not rule.holds(answers)]


def main(answers: Answers) -> int:
    """Print every problem on stderr; return the process exit code."""
    found = problems(answers)
    for line in found:
        print(f"ERROR: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(json.loads(RENDERED_ANSWERS)))
