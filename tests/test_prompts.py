"""The prompts: plain cookiecutter, real booleans, every spelling of "no" giving one project."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

from .template import (
    COOKIECUTTER_JSON,
    TEMPLATE_DIR,
    TOGGLES,
    answers,
    project_files,
    run_cookiecutter,
)


def test_every_variable_has_a_human_prompt() -> None:
    variables = {key for key in COOKIECUTTER_JSON if not key.startswith("_")}
    prompts = COOKIECUTTER_JSON["__prompts__"]
    assert variables == set(prompts)
    assert all(text.strip() for text in prompts.values())


def test_the_nine_toggles_are_json_booleans_defaulting_to_on() -> None:
    assert TOGGLES == (
        "use_api",
        "use_docker",
        "use_github_actions",
        "use_terraform",
        "use_streamlit",
        "use_annotation",
        "use_mlflow",
        "use_dask",
        "use_monitoring",
    )
    assert all(COOKIECUTTER_JSON[toggle] is True for toggle in TOGGLES)


def test_the_aws_region_is_asked_right_after_the_terraform_toggle() -> None:
    prompts = [key for key in COOKIECUTTER_JSON if not key.startswith("_")]
    assert prompts.index("aws_region") == prompts.index("use_terraform") + 1


@pytest.mark.parametrize("spelling", ["no", "false", "0", "n", "off"])
def test_command_line_spellings_of_no_give_false(spelling: str) -> None:
    assert answers(use_streamlit=spelling)["use_streamlit"] is False


def same_tree(left: Path, right: Path) -> bool:
    names = [path.relative_to(left) for path in project_files(left)]
    if names != [path.relative_to(right) for path in project_files(right)]:
        return False
    _, mismatch, errors = filecmp.cmpfiles(
        left, right, [str(name) for name in names], shallow=False
    )
    return not mismatch and not errors


def test_answering_n_at_the_prompt_equals_no_on_the_command_line(tmp_path: Path) -> None:
    prompted = tmp_path / "prompted"
    prompts = [key for key in COOKIECUTTER_JSON if not key.startswith("_")]
    replies = ["n" if key == "use_streamlit" else "" for key in prompts]
    subprocess.run(
        [sys.executable, "-m", "cookiecutter", "-o", str(prompted), str(TEMPLATE_DIR)],
        input="\n".join(replies) + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    for spelling in ("no", "false", "0"):
        given = tmp_path / spelling
        result = run_cookiecutter(given, f"use_streamlit={spelling}")
        assert result.returncode == 0, result.stderr
        assert same_tree(prompted / "support-ticket-router", given / "support-ticket-router")
