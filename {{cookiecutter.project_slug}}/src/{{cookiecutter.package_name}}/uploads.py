"""Reading a CSV file of texts to predict, given on the command line or uploaded.

Only a `text` column is needed; every other column is kept and carried to the predictions.
pandas is imported where a file is read or written: a prediction of texts given one by one on the
command line does without it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from .prediction import Prediction

TEXT_COLUMN = "text"
PREDICTED_COLUMNS = ("label", "confidence")
# An input column that has the name of a predicted one is kept under its name and this suffix.
INPUT_SUFFIX = "_input"
CONFIDENCE_DIGITS = 4


class UploadError(ValueError):
    """The file cannot be predicted; the message says why, in one sentence."""


def read_texts(
    content: bytes, max_bytes: int | None = None, max_rows: int | None = None
) -> pd.DataFrame:
    """The rows of a CSV file with a non-blank `text` on every row, all columns as text, or an
    UploadError. Limits, when given, bound the file's bytes and rows."""
    import pandas as pd

    if max_bytes is not None and len(content) > max_bytes:
        raise UploadError(
            f"The file has {len(content):,} bytes; the limit is {max_bytes:,}. Split it."
        )
    try:
        frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise UploadError(f"This is not a UTF-8 CSV file ({error}).") from error
    if TEXT_COLUMN not in frame.columns:
        columns = ", ".join(map(str, frame.columns))
        raise UploadError(f"The file has no `{TEXT_COLUMN}` column; its columns are: {columns}.")
    if max_rows is not None and len(frame) > max_rows:
        raise UploadError(f"The file has {len(frame):,} messages; the limit is {max_rows:,}.")
    blank = [number + 2 for number, text in enumerate(frame[TEXT_COLUMN]) if not text.strip()]
    if blank:
        raise UploadError(f"Empty `{TEXT_COLUMN}` on line(s) {', '.join(map(str, blank[:10]))}.")
    if frame.empty:
        raise UploadError("The file has a header but no messages.")
    return frame


def texts_frame(texts: Sequence[str], read: pd.DataFrame | None = None) -> pd.DataFrame:
    """The texts given one by one, then the rows of a file that was read, if any; a column that
    only the file has is empty for the texts given one by one."""
    import pandas as pd

    frames = [pd.DataFrame({TEXT_COLUMN: list(texts)}, dtype=str)]
    if read is not None:
        frames.append(read)
    filled = [frame for frame in frames if not frame.empty]
    return pd.concat(filled, ignore_index=True).fillna("") if filled else frames[0]


def with_predictions(frame: pd.DataFrame, predictions: Sequence[Prediction]) -> pd.DataFrame:
    """`frame` with the predicted `label` and `confidence` after its own columns, which are all
    kept (one named like a predicted column gets the suffix `_input`)."""
    clashing = {name: name + INPUT_SUFFIX for name in PREDICTED_COLUMNS if name in frame.columns}
    return frame.rename(columns=clashing).assign(
        label=[prediction.label for prediction in predictions],
        confidence=[round(prediction.confidence, CONFIDENCE_DIGITS) for prediction in predictions],
    )


def predicted_rows(
    texts: Sequence[str], predictions: Sequence[Prediction]
) -> list[tuple[str, str, float]]:
    """The rows that `with_predictions` gives texts given one by one (text, label, confidence),
    without pandas."""
    return [
        (text, prediction.label, round(prediction.confidence, CONFIDENCE_DIGITS))
        for text, prediction in zip(texts, predictions, strict=True)
    ]
