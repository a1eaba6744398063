"""The generated README names the template the project was generated from, never a placeholder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .template import make_template_repository

HOSTED = "https://github.com/acme/fullstack-ds"


def generate(source: str, tmp_path: Path) -> str:
    """Generate from `source` with cookiecutter, GitHub's acme/ served by a local repository."""
    hosted = tmp_path / "hosted"
    template = make_template_repository(hosted / "fullstack-ds.git")
    config = tmp_path / "cookiecutter.yaml"
    config.write_text(f"cookiecutters_dir: {tmp_path / 'clones'}\n", encoding="utf-8")
    git_redirect = {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{hosted.as_uri()}/.insteadOf",
        "GIT_CONFIG_VALUE_0": "https://github.com/acme/",
    }
    output = tmp_path / "out"
    options = ["--no-input", "--config-file", str(config), "--output-dir", str(output)]
    subprocess.run(
        [sys.executable, "-m", "cookiecutter", *options, source.replace("{local}", str(template))],
        env=os.environ | git_redirect,
        check=True,
        capture_output=True,
    )
    return (output / "support-ticket-router" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("source", "sentence"),
    [
        ("gh:acme/fullstack-ds", f"Generated from the fullstack-ds template at <{HOSTED}>."),
        (f"{HOSTED}.git", f"Generated from the fullstack-ds template at <{HOSTED}>."),
        ("{local}", "Generated from a local copy of the fullstack-ds template (`.cruft.json`"),
    ],
    ids=["abbreviation", "url", "local"],
)
def test_the_readme_links_the_template_it_was_generated_from(
    source: str, sentence: str, tmp_path: Path
) -> None:
    readme = generate(source, tmp_path)
    assert sentence in readme
    assert "github.com/org/" not in readme
