"""Inputs cut into parts: every row read once, in order, whatever the cut; bad files named."""

from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.scale.inputs import (
    InputError,
    list_files,
    plan_parts,
    read_part,
)


def messages(count: int, start: int = 0) -> pd.DataFrame:
    """Messages with an id, a text (some with commas and quotes) and a number column."""
    return pd.DataFrame(
        {
            "id": [f"m{start + i}" for i in range(count)],
            "text": [f'message {start + i}, "quoted" about my parcel' for i in range(count)],
            "stars": [str(i % 5) for i in range(count)],
        }
    )


def read_all(source: str, part_bytes: int) -> pd.DataFrame:
    parts = plan_parts(list_files(source), part_bytes)
    return pd.concat([read_part(part) for part in parts], ignore_index=True)


@pytest.mark.parametrize("part_bytes", [30, 1000, 10**9])
def test_csv_parts_hold_every_row_once_in_order(tmp_path: Path, part_bytes: int) -> None:
    frame = messages(60)
    frame.to_csv(tmp_path / "in.csv", index=False)
    parts = plan_parts(list_files(str(tmp_path / "in.csv")), part_bytes)
    assert len(parts) == -(-(tmp_path / "in.csv").stat().st_size // part_bytes)
    pd.testing.assert_frame_equal(read_all(str(tmp_path / "in.csv"), part_bytes), frame)


def test_a_glob_and_a_parquet_folder_are_read_in_file_order(tmp_path: Path) -> None:
    for number in range(3):
        messages(10, start=10 * number).to_csv(tmp_path / f"day-{number}.csv", index=False)
    glob = read_all(str(tmp_path / "day-*.csv"), 10**9)
    pd.testing.assert_frame_equal(glob, messages(30))

    folder = tmp_path / "dataset" / "year=2026"
    folder.mkdir(parents=True)
    for number in range(2):
        messages(20, start=20 * number).to_parquet(
            folder / f"part-{number}.parquet", index=False, row_group_size=7
        )
    (tmp_path / "dataset" / "_SUCCESS").touch()
    parts = plan_parts(list_files(str(tmp_path / "dataset")), 10**9)
    assert [part.row_group for part in parts] == [0, 1, 2] * 2
    pd.testing.assert_frame_equal(read_all(str(tmp_path / "dataset"), 10**9), messages(40))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"message,team\nhello,billing\n", "no `text` column; its columns are: message, team"),
        (b"", "cannot be read"),
        (b"PAR1 not really parquet", "not a CSV or Parquet file"),
    ],
)
def test_an_unusable_file_is_named_with_the_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / ("data.bin" if content.startswith(b"PAR1") else "data.csv")
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason) as raised:
        list_files(str(tmp_path / "*"))
    assert str(raised.value).startswith(str(path))


def test_a_corrupt_parquet_file_is_named(tmp_path: Path) -> None:
    messages(5).to_parquet(tmp_path / "good.parquet", index=False)
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 truncated")
    with pytest.raises(InputError, match=r"bad\.parquet: not a Parquet file"):
        list_files(str(tmp_path))


def test_missing_input_and_empty_texts_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list_files(str(tmp_path / "nothing.csv"))
    with pytest.raises(InputError, match="no CSV or Parquet file"):
        list_files(str(tmp_path))
    (tmp_path / "blank.csv").write_text("text,id\nhello,1\n  ,2\n,3\n", encoding="utf-8")
    (part,) = plan_parts(list_files(str(tmp_path / "blank.csv")), 10**9)
    with pytest.raises(InputError, match=r"blank\.csv: 2 row\(s\) with an empty `text`"):
        read_part(part)


def test_a_csv_file_that_is_not_utf8_is_named_when_its_part_is_read(tmp_path: Path) -> None:
    (tmp_path / "latin.csv").write_bytes("text\ncaf\xe9 au lait\n".encode("latin-1"))
    (part,) = plan_parts(list_files(str(tmp_path / "latin.csv")), 10**9)
    with pytest.raises(InputError, match=r"latin\.csv: cannot be read"):
        read_part(part)
