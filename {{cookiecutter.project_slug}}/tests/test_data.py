from pathlib import Path

import fsspec
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.data import (
    DataValidationError,
    derived_id,
    fingerprint,
    labels_of,
    load_training_data,
    load_unlabelled,
    row_ids,
    split,
)

from .support import LABELS, write_training_data

HEADER = "text,label\n"


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_training_data(tmp_path / "messages.csv")


def test_the_labels_are_those_of_the_data_and_other_columns_are_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path / "reviews.csv",
        "review_id,stars,text,label\nr1,5,Loved it,positive\nr2,1,Broke at once,negative\n"
        "r3,3,It is fine,neutral\n",
    )
    frame = load_training_data([str(path)])
    assert labels_of(frame) == ["negative", "neutral", "positive"]
    assert frame["stars"].tolist() == ["5", "1", "3"]


def test_rows_need_no_id_and_get_one_from_their_text(data: Path) -> None:
    frame = load_training_data([str(data)])
    ids = row_ids(frame, None)
    assert ids.tolist() == [derived_id(text) for text in frame["text"]]
    assert ids.is_unique
    assert derived_id("Where is my parcel?") == derived_id("Where is my parcel?")


def test_the_id_column_setting_names_a_column_that_must_be_filled_and_unique(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "a.csv", "ref,text,label\nx1,Refund?,billing\nx2,Parcel?,shipping\n")
    frame = load_training_data([str(path)], id_column="ref")
    assert row_ids(frame, "ref").tolist() == ["x1", "x2"]
    with pytest.raises(DataValidationError, match=r"column 'ticket' \(the id_column setting\)"):
        load_training_data([str(path)], id_column="ticket")
    write(tmp_path / "b.csv", "ref,text,label\nx1,Again?,billing\n,Empty id,billing\n")
    with pytest.raises(DataValidationError, match="line 3, column 'ref' is empty"):
        load_training_data([str(tmp_path / "b.csv")], id_column="ref")
    write(tmp_path / "b.csv", "ref,text,label\nx1,Again?,billing\n")
    with pytest.raises(DataValidationError, match="ref 'x1' appears more than once"):
        load_training_data([str(tmp_path / "*.csv")], id_column="ref")


def test_a_bad_row_is_named_by_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", HEADER + "Where is my parcel?,shipping\nHi,\n")
    with pytest.raises(DataValidationError) as caught:
        load_training_data([str(path)])
    [problem] = caught.value.problems
    assert problem.startswith(f"{path}: line 3, column 'label': value '' fails")


def test_empty_text_and_missing_columns_are_reported(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.csv", HEADER + ",billing\n")
    no_label = write(tmp_path / "no_label.csv", "text\nHello\n")
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


def test_globs_add_files(data: Path, tmp_path: Path) -> None:
    extra = tmp_path / "labelled"
    extra.mkdir()
    write(extra / "a.csv", HEADER + "My card was charged three times,billing\n")
    write(extra / "b.csv", "text,label,annotator\nThe app crashes on start,technical,ana\n")
    frame = load_training_data([str(data), str(extra / "*.csv")])
    assert {"My card was charged three times", "The app crashes on start"} <= set(frame["text"])
    assert frame["annotator"].tolist()[-1] == "ana"


def test_unlabelled_texts_need_only_a_text_column(tmp_path: Path) -> None:
    pool = write(tmp_path / "pool.csv", "text,channel\nWhere is it?,mail\n")
    assert load_unlabelled(pool)["channel"].tolist() == ["mail"]


def test_fingerprint_ignores_row_order_but_not_content(data: Path) -> None:
    frame = load_training_data([str(data)])
    shuffled = frame.sample(frac=1, random_state=1)
    changed = frame.copy()
    changed.loc[0, "label"] = "shipping" if frame.loc[0, "label"] != "shipping" else "billing"
    assert fingerprint(shuffled) == fingerprint(frame)
    assert fingerprint(changed) != fingerprint(frame)


def test_split_is_stratified_and_reproducible(data: Path) -> None:
    frame = load_training_data([str(data)])
    train, test = split(frame, test_size=0.2, seed=7)
    again_train, _ = split(frame, test_size=0.2, seed=7)
    assert len(test) == pytest.approx(len(frame) * 0.2, abs=1)
    assert train.index.equals(again_train.index)
    assert set(test["label"]) == set(LABELS)
    assert not set(train["text"]) & set(test["text"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER + "a,one\nb,one\n", "the data has 1 label(s); a model needs 2 or more"),
        (HEADER + "a,one\nb,one\nc,two\n", "label 'two' has 1 row(s); each label needs 2"),
    ],
)
def test_too_little_data_to_split_says_why(tmp_path: Path, content: str, message: str) -> None:
    frame = load_training_data([str(write(tmp_path / "few.csv", content))])
    with pytest.raises(DataValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        split(frame, test_size=0.2, seed=0)


def test_reading_keeps_text_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "ref,text,label\n007,NA,billing\n")
    frame = load_training_data([str(path)])
    assert frame.loc[0, "ref"] == "007"
    assert frame.loc[0, "text"] == "NA"
    assert isinstance(frame, pd.DataFrame)


def test_training_data_may_be_urls_with_globs() -> None:
    """Training on data in object storage (s3://...; fsspec's in-memory store here) reads the
    files that a URL glob matches, like local ones."""
    filesystem = fsspec.filesystem("memory")
    for month, label in (("01", LABELS[0]), ("02", LABELS[1])):
        for row in range(2):
            filesystem.pipe(
                f"/training/2026-{month}-{row}.csv",
                f"text,label\nmessage {month} {row},{label}\n".encode(),
            )
    try:
        frame = load_training_data(["memory://training/2026-*.csv"])
        assert list(frame["text"]) == [
            "message 01 0",
            "message 01 1",
            "message 02 0",
            "message 02 1",
        ]
        with pytest.raises(
            DataValidationError, match=r"memory://training/absent\.csv: file not found"
        ):
            load_training_data(["memory://training/absent.csv"])
    finally:
        filesystem.rm("/training", recursive=True)
