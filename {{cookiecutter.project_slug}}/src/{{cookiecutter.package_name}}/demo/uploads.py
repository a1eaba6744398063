"""Reading an uploaded CSV of messages, with a message that says what is wrong with a bad file."""

import io

import pandas as pd

TEXT_COLUMN = "text"


class UploadError(ValueError):
    """The uploaded file cannot be routed; the message says why, for the page to show."""


def read_upload(content: bytes, max_bytes: int, max_rows: int) -> list[str]:
    """The messages of an uploaded CSV file (its `text` column), or an UploadError."""
    if len(content) > max_bytes:
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
    if len(frame) > max_rows:
        raise UploadError(f"The file has {len(frame):,} messages; the limit is {max_rows:,}.")
    texts = [str(text) for text in frame[TEXT_COLUMN]]
    blank = [number + 2 for number, text in enumerate(texts) if not text.strip()]
    if blank:
        raise UploadError(f"Empty `{TEXT_COLUMN}` on line(s) {', '.join(map(str, blank[:10]))}.")
    if not texts:
        raise UploadError("The file has a header but no messages.")
    return texts
