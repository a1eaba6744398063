"""The labelling configuration and the annotation guide follow the label set."""

import re
import xml.etree.ElementTree as ElementTree

import pytest

from {{ cookiecutter.package_name }}.annotation.config import labelling_config
from {{ cookiecutter.package_name }}.labels import LABELS

from ..support import PROJECT_ROOT


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


def test_the_guide_lists_every_team_with_its_key() -> None:
    guide = (PROJECT_ROOT / "docs" / "annotation_guide.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d) \| (\w+) \|", guide, flags=re.MULTILINE)
    assert rows == [(str(number), label) for number, label in enumerate(LABELS, start=1)]
