"""The examples file of the Predict page: its first messages, none without it, a clear error."""

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.demo.examples import SHOWN, load_examples
from {{ cookiecutter.package_name }}.uploads import UploadError


def test_the_first_messages_of_the_file_are_shown(tmp_path: Path) -> None:
    examples = tmp_path / "examples.csv"
    examples.write_text("text\n" + "".join(f"message {n}\n" for n in range(50)), encoding="utf-8")
    assert load_examples(examples) == [f"message {n}" for n in range(SHOWN)]


def test_no_file_means_no_examples(tmp_path: Path) -> None:
    assert load_examples(tmp_path / "missing.csv") == []


def test_a_file_without_messages_says_why(tmp_path: Path) -> None:
    examples = tmp_path / "examples.csv"
    examples.write_text("message_id\nm1\n", encoding="utf-8")
    with pytest.raises(UploadError, match="no `text` column"):
        load_examples(examples)
