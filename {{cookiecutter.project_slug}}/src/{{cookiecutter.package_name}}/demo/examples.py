"""The example messages of the Predict page. They come from a small file of their own, never from
the project's data, which holds real customers' messages once you add yours."""

from pathlib import Path

from ..uploads import TEXT_COLUMN, read_texts

SHOWN = 20
MAX_BYTES = 100_000
MAX_ROWS = 1_000


def load_examples(path: Path) -> list[str]:
    """The first messages of the examples file (its `text` column); none when there is no file.
    A file that is not a CSV of messages raises an UploadError that says why."""
    if not path.is_file():
        return []
    return read_texts(path.read_bytes(), MAX_BYTES, MAX_ROWS)[TEXT_COLUMN].tolist()[:SHOWN]
