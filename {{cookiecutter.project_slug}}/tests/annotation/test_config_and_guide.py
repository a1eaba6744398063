"""The labelling configuration and the annotation guide follow the label set."""

import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.annotation.config import labelling_config
from {{ cookiecutter.package_name }}.annotation.guide import TO_DESCRIBE, update_guide

from ..support import PROJECT_ROOT

LABELS = ["negative", "neutral", "positive"]


def test_one_choice_per_label_with_number_keys() -> None:
    view = ElementTree.fromstring(labelling_config(LABELS))
    choices = view.find("Choices")
    assert choices is not None
    assert choices.get("toName") == view.find("Text").get("name")  # type: ignore[union-attr]
    pairs = [(choice.get("value"), choice.get("hotkey")) for choice in choices]
    assert pairs == [(label, str(number)) for number, label in enumerate(LABELS, start=1)]


def test_labels_with_quotes_stay_valid_xml() -> None:
    view = ElementTree.fromstring(labelling_config(['say "hi"', "a & b"]))
    assert [choice.get("value") for choice in view.iter("Choice")] == ['say "hi"', "a & b"]


def test_more_labels_than_number_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="1 to 9 labels"):
        labelling_config([f"team{number}" for number in range(10)])


def test_the_guide_table_follows_the_labels_and_keeps_their_descriptions(tmp_path: Path) -> None:
    shutil.copy(PROJECT_ROOT / "docs" / "annotation_guide.md", tmp_path)
    guide = tmp_path / "annotation_guide.md"
    described = re.findall(r"^\| \d \| (\w+) \| (.+) \|$", guide.read_text(), re.MULTILINE)
    [(first, description), *_] = described
    assert update_guide(tmp_path, [*LABELS, first])
    text = guide.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d) \| (\w+) \| (.+) \|$", text, flags=re.MULTILINE)
    assert rows == [
        ("1", "negative", TO_DESCRIBE),
        ("2", "neutral", TO_DESCRIBE),
        ("3", "positive", TO_DESCRIBE),
        ("4", first, description),
    ]
    assert "## How to decide" in text  # the rest of the guide stays
