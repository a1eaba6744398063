"""Merging pulls: idempotent, validated, and atomic (a failed write keeps the previous file)."""

from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.annotation.config import ROW_ID
from {{ cookiecutter.package_name }}.annotation.export import COLUMNS
from {{ cookiecutter.package_name }}.annotation.merge import merge_annotations
from {{ cookiecutter.package_name }}.data import DataValidationError, MessageSchema, read_csv


def rows(*labelled: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            [row_id, f"text of {row_id}", label, "ada@example.com", "t", 7]
            for row_id, label in labelled
        ],
        columns=[ROW_ID, *COLUMNS],
    )


def test_a_repeated_pull_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "labelled" / "annotations.csv"
    assert merge_annotations(rows(("m1", "billing")), target) == 1
    first = target.read_bytes()
    assert merge_annotations(rows(("m1", "billing")), target) == 1
    assert target.read_bytes() == first
    merged = read_csv(target, MessageSchema)  # readable as training data, provenance included
    assert merged.columns.tolist() == [ROW_ID, *COLUMNS]


def test_a_pull_updates_its_messages_and_keeps_the_others(tmp_path: Path) -> None:
    target = tmp_path / "annotations.csv"
    merge_annotations(rows(("m1", "billing"), ("m2", "returns")), target)
    assert merge_annotations(rows(("m2", "shipping"), ("m3", "account")), target) == 3
    merged = pd.read_csv(target, dtype=str)
    assert dict(zip(merged["row_id"], merged["label"], strict=True)) == {
        "m1": "billing",
        "m2": "shipping",
        "m3": "account",
    }


def test_an_invalid_pull_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "annotations.csv"
    merge_annotations(rows(("m1", "billing")), target)
    before = target.read_bytes()
    with pytest.raises(DataValidationError):
        merge_annotations(rows(("m2", "")), target)
    assert target.read_bytes() == before


def test_a_crash_while_writing_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "annotations.csv"
    merge_annotations(rows(("m1", "billing")), target)
    before = target.read_bytes()

    def crash(self: Path, other: Path) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        merge_annotations(rows(("m2", "returns")), target)
    assert target.read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == ["annotations.csv"]  # no leftovers


def test_ids_go_in_the_id_column_the_settings_name(tmp_path: Path) -> None:
    target = tmp_path / "annotations.csv"
    pulled = rows(("m1", "billing")).rename(columns={ROW_ID: "ticket"})
    merge_annotations(pulled, target)
    assert read_csv(target, MessageSchema, id_column="ticket")["ticket"].tolist() == ["m1"]
    with pytest.raises(DataValidationError, match="column 'other' is missing"):
        merge_annotations(pulled.rename(columns={"ticket": "other"}), target)
