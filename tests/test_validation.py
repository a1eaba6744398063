"""Hook tier: every validation rule stops generation with one readable line and writes nothing."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from .template import answers, load_hook, run_cookiecutter

pre_gen = load_hook("pre_gen_project")

# One answer set per rule that breaks exactly that rule.
FAILING_ANSWERS: dict[str, dict[str, str]] = {
    "project_name_present": {"project_name": "   ", "project_slug": "x", "package_name": "x"},
    "project_slug_shape": {"project_slug": "Support Router", "package_name": "support_router"},
    "package_name_identifier": {"package_name": "support-router"},
    "package_name_not_keyword": {"package_name": "class"},
    "package_name_not_shadowing": {"package_name": "streamlit"},
    "author_email_shape": {"author_email": "ada.example.com"},
    "github_owner_shape": {"github_owner": "-not-valid-"},
    "python_version_supported": {"python_version": "2.7"},
    "license_known": {"license": "WTFPL"},
    "aws_region_shape": {"aws_region": "Europe"},
    "docker_needs_api": {"use_docker": "yes", "use_api": "no", "use_terraform": "no"},
    "terraform_needs_api_and_docker": {"use_terraform": "yes", "use_docker": "no"},
}
# cookiecutter itself refuses unknown choices given on its command line (with a traceback of
# its own); answers from a replay file or a `.cruft.json` reach the hook, so test through those.
CHOICE_RULES = {"python_version_supported", "license_known"}
HOSTILE = 'O\'Brien "Bob" \\ Ü'


def test_every_rule_has_a_failing_input() -> None:
    assert set(FAILING_ANSWERS) == {rule.name for rule in pre_gen.RULES}


def test_the_default_answers_pass() -> None:
    assert pre_gen.problems(answers()) == []


@pytest.mark.parametrize("rule_name", sorted(FAILING_ANSWERS))
def test_each_rule_fails_alone(rule_name: str) -> None:
    given = given_answers(rule_name)
    broken = [rule.name for rule in pre_gen.RULES if not rule.holds(given)]
    assert broken == [rule_name]


def given_answers(rule_name: str) -> dict[str, Any]:
    """The answers the hook receives for the failing input of a rule."""
    overrides = FAILING_ANSWERS[rule_name]
    return answers() | overrides if rule_name in CHOICE_RULES else answers(**overrides)


def generate(output_dir: Path, rule_name: str) -> subprocess.CompletedProcess[str]:
    overrides = FAILING_ANSWERS[rule_name]
    if rule_name not in CHOICE_RULES:
        return run_cookiecutter(output_dir, *(f"{key}={value}" for key, value in overrides.items()))
    replay = output_dir.parent / "replay.json"
    context = {"cookiecutter": given_answers(rule_name)}
    replay.write_text(json.dumps(context), encoding="utf-8")
    return run_cookiecutter(output_dir, replay_file=replay)


@pytest.mark.parametrize("rule_name", sorted(FAILING_ANSWERS))
def test_generation_stops_with_one_line_and_writes_nothing(rule_name: str, tmp_path: Path) -> None:
    output_dir = tmp_path / "out"
    output_dir.mkdir()
    result = generate(output_dir, rule_name)
    rule = next(rule for rule in pre_gen.RULES if rule.name == rule_name)
    expected = "ERROR: " + rule.message.format(**given_answers(rule_name))
    assert result.returncode != 0
    # Our line comes first; cookiecutter then logs its own "Stopping generation" report on stdout.
    assert result.stderr.splitlines()[0] == expected
    assert [line for line in result.stderr.splitlines() if line.startswith("ERROR:")] == [expected]
    assert "Traceback" not in result.stderr
    assert list(output_dir.iterdir()) == []


def test_several_problems_are_all_reported() -> None:
    given = answers(author_email="nope", aws_region="moon-1", package_name="import")
    assert len(pre_gen.problems(given)) == 3


@pytest.mark.parametrize(
    ("name", "slug", "package"),
    [
        ("Support Ticket Router", "support-ticket-router", "support_ticket_router"),
        (HOSTILE, "o-brien-bob-u", "o_brien_bob_u"),
        ("Café Überprüfung — ½", "cafe-uberprufung-1-2", "cafe_uberprufung_1_2"),
        ("3D Vision!!", "ml-3d-vision", "ml_3d_vision"),
        ("???", "ml-project", "ml_project"),
        ("A name far longer than any repository name should be", None, None),
    ],
)
def test_derived_names_are_valid_for_any_project_name(
    name: str, slug: str | None, package: str | None
) -> None:
    given = answers(project_name=name)
    if slug is not None:
        assert (given["project_slug"], given["package_name"]) == (slug, package)
    assert pre_gen.problems(given) == []


def test_hostile_characters_reach_every_file_intact(tmp_path: Path) -> None:
    description = 'Says "hi" to O\'Brien: C:\\path\\ {braces} & <tags> — déjà vu'
    result = run_cookiecutter(
        tmp_path,
        f"project_name={HOSTILE}",
        f"author_name={HOSTILE}",
        f"description={description}",
    )
    assert result.returncode == 0, result.stderr
    project = tmp_path / "o-brien-bob-u"
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == description
    assert pyproject["project"]["authors"][0]["name"] == HOSTILE
    recorded = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    assert recorded["context"]["cookiecutter"]["project_name"] == HOSTILE
    assert recorded["context"]["cookiecutter"]["description"] == description
    assert (project / "README.md").read_text(encoding="utf-8").startswith(f"# {HOSTILE}\n")
