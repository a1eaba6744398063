from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.data import (
    DataValidationError,
    fingerprint,
    load_training_data,
    load_unlabelled,
    split,
)
from {{ cookiecutter.package_name }}.labels import LABELS

from .support import BUNDLED_DATA, UNLABELLED_DATA

HEADER = "message_id,text,label\n"


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def test_bundled_data_is_valid_and_covers_every_label() -> None:
    frame = load_training_data([str(BUNDLED_DATA)])
    assert len(frame) >= 300
    assert set(frame["label"]) == set(LABELS)
    assert frame["message_id"].is_unique


def test_unlabelled_pool_is_valid_and_new() -> None:
    pool = load_unlabelled(UNLABELLED_DATA)
    labelled = load_training_data([str(BUNDLED_DATA)])
    assert len(pool) >= 50
    assert not set(pool["text"]) & set(labelled["text"])


def test_a_bad_row_is_named_by_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", HEADER + "m1,Where is my parcel?,shipping\nm2,Hi,biling\n")
    with pytest.raises(DataValidationError) as caught:
        load_training_data([str(path)])
    assert caught.value.problems == [
        f"{path}: line 3, column 'label': value 'biling' fails isin({list(LABELS)})"
    ]


def test_empty_text_and_missing_columns_are_reported(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.csv", HEADER + "m1,,billing\n")
    no_label = write(tmp_path / "no_label.csv", "message_id,text\nm1,Hello\n")
    with pytest.raises(DataValidationError, match=r"line 2, column 'text'"):
        load_training_data([str(empty)])
    with pytest.raises(DataValidationError, match=r"column 'label' is missing"):
        load_training_data([str(no_label)])


def test_unreadable_and_missing_files_are_reported(tmp_path: Path) -> None:
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataValidationError, match="not a readable UTF-8 CSV"):
        load_training_data([str(binary)])
    with pytest.raises(DataValidationError, match="file not found"):
        load_training_data([str(tmp_path / "absent.csv")])
    with pytest.raises(DataValidationError, match="no training data matches"):
        load_training_data([str(tmp_path / "*.csv.none")])


def test_globs_add_files_and_ids_must_be_unique_across_them(tmp_path: Path) -> None:
    extra = tmp_path / "labelled"
    extra.mkdir()
    write(extra / "a.csv", HEADER + "a1,My card was charged twice,billing\n")
    write(extra / "b.csv", HEADER + "b1,The app crashes on start,technical\n")
    frame = load_training_data([str(BUNDLED_DATA), str(extra / "*.csv")])
    assert {"a1", "b1"} <= set(frame["message_id"])
    write(extra / "c.csv", HEADER + "a1,Duplicate id,billing\n")
    with pytest.raises(DataValidationError, match="'a1' appears in more than one file"):
        load_training_data([str(extra / "*.csv")])


def test_extra_columns_such_as_provenance_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "message_id,text,label,annotator\nm1,Refund?,billing,ana\n")
    assert load_training_data([str(path)])["annotator"].tolist() == ["ana"]


def test_fingerprint_ignores_row_order_but_not_content() -> None:
    frame = load_training_data([str(BUNDLED_DATA)])
    shuffled = frame.sample(frac=1, random_state=1)
    changed = frame.copy()
    changed.loc[0, "label"] = "shipping" if frame.loc[0, "label"] != "shipping" else "billing"
    assert fingerprint(shuffled) == fingerprint(frame)
    assert fingerprint(changed) != fingerprint(frame)


def test_split_is_stratified_and_reproducible() -> None:
    frame = load_training_data([str(BUNDLED_DATA)])
    train, test = split(frame, test_size=0.2, seed=7)
    again_train, _ = split(frame, test_size=0.2, seed=7)
    assert len(test) == pytest.approx(len(frame) * 0.2, abs=1)
    assert train.index.equals(again_train.index)
    shares = frame["label"].value_counts(normalize=True)
    test_shares = test["label"].value_counts(normalize=True)
    assert (abs(shares - test_shares) < 0.02).all()
    assert not set(train["message_id"]) & set(test["message_id"])


def test_reading_keeps_text_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", HEADER + "007,NA,billing\n")
    frame = load_training_data([str(path)])
    assert frame.loc[0, "message_id"] == "007"
    assert frame.loc[0, "text"] == "NA"
    assert isinstance(frame, pd.DataFrame)
