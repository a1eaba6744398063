"""Hook tier: every validation rule stops generation with one readable line and writes nothing."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from .template import (
    COOKIECUTTER_JSON,
    TEMPLATE_DIR,
    answers,
    is_text,
    load_hook,
    project_files,
    require_tools,
    run_cookiecutter,
    tool_environment,
)
from .test_bake_matrix import parse, run_tool

pre_gen = load_hook("pre_gen_project")
DEV_GROUP: list[str] = tomllib.loads((TEMPLATE_DIR / "pyproject.toml").read_text(encoding="utf-8"))[
    "dependency-groups"
]["dev"]

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
    "docker_needs_api": {
        "use_docker": "yes",
        "use_api": "no",
        "use_terraform": "no",
        "use_monitoring": "no",
    },
    "monitoring_needs_api": {
        "use_monitoring": "yes",
        "use_api": "no",
        "use_docker": "no",
        "use_terraform": "no",
    },
    "terraform_needs_api_and_docker": {"use_terraform": "yes", "use_docker": "no"},
    "project_name_plain_text": {"project_name": "Router {{ 7*7 }}"},
    "description_plain_text": {"description": "Routes {% if true %}mail{% endif %}"},
    "author_name_plain_text": {"author_name": "{{ cookiecutter.project_name }}"},
    "author_email_plain_text": {"author_email": "{#x#}@example.com"},
}
# cookiecutter itself refuses unknown choices given on its command line (with a traceback of
# its own), and the template's Jinja extension refuses Jinja there before it is rendered; answers
# from a replay file or a `.cruft.json` reach the hook, so test through those.
REPLAYED_RULES = {
    "python_version_supported",
    "license_known",
    "project_name_plain_text",
    "description_plain_text",
    "author_name_plain_text",
    "author_email_plain_text",
}
HOSTILE = 'O\'Brien "Bob" \\ Ü'
# Outside the Basic Multilingual Plane (emoji, a joined emoji, mathematical and Egyptian
# letters), look-alikes (en dash, information sign), a tab and the control character DEL.
ASTRAL = "\U0001f600 \U0001f469\u200d\U0001f4bb \U0001d518 \U00013000 \u2013 \u2139\t\x7f"
# Would create MARKER if cookiecutter rendered it.
MARKER = "jinja-ran"
PAYLOAD = "{{ cycler.__init__.__globals__.os.system('touch " + MARKER + "') }}"


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
    return answers() | overrides if rule_name in REPLAYED_RULES else answers(**overrides)


def generate(output_dir: Path, rule_name: str) -> subprocess.CompletedProcess[str]:
    overrides = FAILING_ANSWERS[rule_name]
    if rule_name not in REPLAYED_RULES:
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
    assert "Traceback" not in result.stderr + result.stdout
    assert list(output_dir.iterdir()) == []


def test_an_answer_that_is_not_utf8_is_refused_with_one_line(tmp_path: Path) -> None:
    output_dir = tmp_path / "out"
    output_dir.mkdir()
    result = run_cookiecutter(output_dir, "author_name=Ad\udcffa")  # the byte 0xff in argv
    # Only text without the lone surrogate in assertions: xdist cannot report one.
    code, errors = result.returncode, result.stderr
    assert code != 0
    assert errors.splitlines()[0] == (
        "ERROR: author_name 'Ad\\udcffa' must be plain text: no Jinja syntax, which would run as"
        " code when the project is regenerated, and no bytes that are not UTF-8"
    )
    assert "Traceback" not in errors
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


def annotation_project_title(project: Path) -> str:
    """The Label Studio project title that the generated settings default to, as `ascii()` shows
    it: a wrong literal can hold lone surrogates, which xdist cannot report."""
    [settings] = project.glob("src/*/annotation/settings.py")
    tree = ast.parse(settings.read_text(encoding="utf-8"))
    [field] = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "project"
    ]
    assert isinstance(field, ast.Call)
    return ascii(ast.literal_eval(field.args[0]))


def api_constant(project: Path, name: str) -> str:
    """A string constant of the generated API module, as `ascii()` shows it."""
    [app] = project.glob("src/*/api/app.py")
    tree = ast.parse(app.read_text(encoding="utf-8"))
    [value] = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == name
    ]
    return ascii(ast.literal_eval(value))


def test_hostile_characters_reach_every_file_intact(tmp_path: Path) -> None:
    name = f"{HOSTILE} {ASTRAL}"
    author = f"{HOSTILE} {ASTRAL}"
    description = f'Says "hi" to O\'Brien: C:\\path\\ {{braces}} & <tags> — déjà vu {ASTRAL}'
    result = run_cookiecutter(
        tmp_path, f"project_name={name}", f"author_name={author}", f"description={description}"
    )
    assert result.returncode == 0, result.stderr
    project = tmp_path / answers(project_name=name)["project_slug"]
    for path in filter(is_text, project_files(project)):
        parse(path)  # TOML, YAML, JSON and Python
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == description
    assert pyproject["project"]["authors"][0]["name"] == author
    recorded = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    assert recorded["context"]["cookiecutter"]["project_name"] == name
    assert recorded["context"]["cookiecutter"]["description"] == description
    assert recorded["context"]["cookiecutter"]["author_name"] == author
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# {name}\n\n{description}\n")
    assert author in (project / "LICENSE").read_text(encoding="utf-8")
    assert description in (project / "docs" / "model_card.md").read_text(encoding="utf-8")
    assert annotation_project_title(project) == ascii(name)
    assert api_constant(project, "SERVICE_TITLE") == ascii(name)
    assert api_constant(project, "SERVICE_DESCRIPTION") == ascii(description)
    for linter in (["ruff", "check", "--no-cache", "."], ["black", "--check", "--quiet", "."]):
        linted = run_tool(*linter, cwd=project)
        assert linted.returncode == 0, linted.stdout + linted.stderr


def test_a_long_non_latin_name_stays_within_the_line_length(tmp_path: Path) -> None:
    name = "Маршрутизатор обращений службы поддержки клиентов 😀 " * 3
    result = run_cookiecutter(tmp_path, f"project_name={name}", "use_annotation=yes")
    assert result.returncode == 0, result.stderr
    [project] = tmp_path.iterdir()
    assert annotation_project_title(project) == ascii(name)
    assert api_constant(project, "SERVICE_TITLE") == ascii(name)
    linted = run_tool("ruff", "check", "--no-cache", "--select", "E501", ".", cwd=project)
    assert linted.returncode == 0, linted.stdout


@pytest.mark.parametrize(
    "key", ["project_name", "description", "author_name", "author_email", "package_name"]
)
def test_jinja_in_a_command_line_answer_is_refused_before_it_runs(key: str, tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    command = [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(output)]
    result = subprocess.run(
        [*command, str(TEMPLATE_DIR), f"{key}={PAYLOAD}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"ERROR: the answer {PAYLOAD!r} holds Jinja syntax, which would run as code:"
        " answers are plain text"
    ]
    assert not (tmp_path / MARKER).exists()
    assert list(output.iterdir()) == []


def test_jinja_typed_at_the_prompt_is_refused_not_recorded(tmp_path: Path) -> None:
    output = tmp_path / "out"
    prompts = [key for key in COOKIECUTTER_JSON if not key.startswith("_")]
    replies = [PAYLOAD if key == "description" else "" for key in prompts]
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", "-o", str(output), str(TEMPLATE_DIR)],
        cwd=tmp_path,
        input="\n".join(replies) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR:")]
    assert errors[0] == (
        f"ERROR: description {PAYLOAD!r} must be plain text: no Jinja syntax, which would run as"
        " code when the project is regenerated, and no bytes that are not UTF-8"
    )
    assert not (tmp_path / MARKER).exists()
    assert not output.exists() or list(output.iterdir()) == []


def rerun_command(result: subprocess.CompletedProcess[str]) -> str:
    """The command that the refusal offers, checked to follow one error line per problem."""
    lines = result.stderr.splitlines()
    hint = next(index for index, line in enumerate(lines) if line.startswith("Nothing was"))
    assert all(line.startswith("ERROR: ") for line in lines[:hint])
    assert lines[hint + 1].startswith("  cookiecutter ")
    return lines[hint + 1].strip()


def run_in_shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a pasted command line with this environment's cookiecutter first on PATH."""
    environment = dict(
        os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    )
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def recorded(project: Path) -> dict[str, Any]:
    document = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    return dict(document["context"]["cookiecutter"])


def test_a_refused_combination_at_the_prompt_offers_a_command_that_keeps_every_answer(
    tmp_path: Path,
) -> None:
    output = tmp_path / "out"
    prompts = [key for key in COOKIECUTTER_JSON if not key.startswith("_")]
    typed = {"project_name": "Parcel Desk", "author_name": 'O\'Brien "Bob"', "use_docker": "n"}
    replies = [typed.get(key, "") for key in prompts]  # every other default accepted
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", "-o", str(output), str(TEMPLATE_DIR)],
        cwd=tmp_path,
        input="\n".join(replies) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        "ERROR: use_terraform needs use_api and use_docker: Terraform deploys the API container"
    )
    assert "with use_terraform=no:" in result.stderr
    assert not output.exists() or list(output.iterdir()) == []

    again = run_in_shell(rerun_command(result), tmp_path)
    assert again.returncode == 0, again.stderr
    given = recorded(output / "parcel-desk")
    assert (given["project_name"], given["author_name"]) == ("Parcel Desk", 'O\'Brien "Bob"')
    assert (given["use_docker"], given["use_terraform"], given["use_api"]) == (False, False, True)


def test_a_refused_answer_is_last_in_the_offered_command_for_the_user_to_change(
    tmp_path: Path,
) -> None:
    result = run_cookiecutter(tmp_path, "project_name=Parcel Desk", "aws_region=Europe")
    assert result.returncode != 0
    command = rerun_command(result)
    assert "; change aws_region at its end, then run it:" in result.stderr
    assert command.endswith(" aws_region=Europe")
    assert list(tmp_path.iterdir()) == []

    again = run_in_shell(command.removesuffix("Europe") + "eu-central-1", tmp_path)
    assert again.returncode == 0, again.stderr
    given = recorded(tmp_path / "parcel-desk")
    assert (given["project_name"], given["aws_region"]) == ("Parcel Desk", "eu-central-1")


def test_after_uvx_the_offered_command_runs_the_same_cookiecutter_with_uvx(tmp_path: Path) -> None:
    require_tools("uvx")
    pin = next(line for line in DEV_GROUP if line.startswith("cookiecutter=="))
    generate = ["uvx", pin, "--no-input", "-o", "out", str(TEMPLATE_DIR), "use_docker=no"]
    result = subprocess.run(
        generate,
        cwd=tmp_path,
        env=dict(tool_environment(), PWD=str(tmp_path)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    command = result.stderr.splitlines()[-1].strip()
    assert command.startswith(f"uvx {pin} {TEMPLATE_DIR} --no-input --output-dir out ")
    again = subprocess.run(
        ["bash", "-c", command],
        cwd=tmp_path,
        env=tool_environment(),
        capture_output=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert recorded(tmp_path / "out" / "support-ticket-router")["use_terraform"] is False
