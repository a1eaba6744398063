"""CSV files for people to open in a spreadsheet, in which no cell can run as a formula.

Spreadsheets take a cell that starts with `=`, `+`, `-` or `@` for a formula (also after a tab or
a carriage return), and a formula can fetch URLs or run commands: CSV injection, in OWASP's words.
Such text cells get a leading apostrophe, which spreadsheets show as text.
"""

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: object) -> object:
    """A text cell that a spreadsheet would run, with an apostrophe in front; others as they are."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def spreadsheet_csv(frame: pd.DataFrame) -> str:
    """`frame` as CSV text without its index, every text cell neutralised."""
    return frame.map(neutralised).to_csv(index=False)
