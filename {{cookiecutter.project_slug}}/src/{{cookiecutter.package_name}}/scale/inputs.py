"""The messages to score, cut into parts that a worker reads on its own: byte ranges of CSV files
(cut at line breaks) and row groups of Parquet files, from a local path or any fsspec URL.

A part is read, checked and scored by one task, so a worker holds one part at a time whatever the
size of the input. Every error names the file it comes from.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import fsspec

from ..uploads import TEXT_COLUMN

if TYPE_CHECKING:
    import pandas as pd

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
GLOB_CHARACTERS = ("*", "?", "[")
# Files that datasets keep next to their data: markers, metadata, hidden files.
SKIPPED_PREFIXES = ("_", ".")


class InputError(ValueError):
    """An input that cannot be scored: one line that names the file and the reason."""


@dataclass(frozen=True)
class InputFile:
    """One file of the input: its URL, format and size in bytes."""

    url: str
    format: str
    size: int


@dataclass(frozen=True)
class Part:
    """What one task reads: a byte range of a CSV file, or a row group of a Parquet file."""

    index: int
    file: InputFile
    offset: int = 0
    length: int = 0
    row_group: int = 0


def full_url(fs: Any, path: str) -> str:
    """The URL of a path of a filesystem (a plain path for local files)."""
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return path if protocol in ("file", "local") else f"{protocol}://{path}"


def _format(path: str) -> str:
    for extension, kind in FORMATS.items():
        if path.lower().endswith(extension):
            return kind
    raise InputError(f"{path}: not a CSV or Parquet file (.csv, .parquet or .pq)")


def list_files(source: str) -> list[InputFile]:
    """The files of `source` (a file, a glob or a dataset folder), sorted, each with a `text`
    column, or an InputError."""
    fs, path = fsspec.core.url_to_fs(source)
    if any(character in path for character in GLOB_CHARACTERS):
        found = fs.glob(path, detail=True)
    elif fs.isdir(path):
        found = fs.find(path, detail=True)
    elif fs.isfile(path):
        found = {path: fs.info(path)}
    else:
        raise InputError(f"{source}: no such file or folder")
    files = [
        InputFile(full_url(fs, name), _format(name), int(info["size"]))
        for name, info in sorted(found.items())
        if info["type"] == "file" and not name.rsplit("/", 1)[-1].startswith(SKIPPED_PREFIXES)
    ]
    if not files:
        raise InputError(f"{source}: no CSV or Parquet file in it")
    for file in files:
        columns = _columns(file)
        if TEXT_COLUMN not in columns:
            raise InputError(
                f"{file.url}: no `{TEXT_COLUMN}` column; its columns are: {', '.join(columns)}"
            )
    return files


def _columns(file: InputFile) -> list[str]:
    """The column names of a file, read from its header or its Parquet footer."""
    import pandas as pd

    try:
        with fsspec.open(file.url, "rb") as stream:
            if file.format == "csv":
                header = stream.readline()
                return [str(name) for name in pd.read_csv(io.BytesIO(header), nrows=0).columns]
            return list(_parquet(stream, file.url).schema_arrow.names)
    except InputError:
        raise
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise InputError(f"{file.url}: cannot be read ({_reason(error)})") from None


def _parquet(stream: Any, url: str) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(stream)
    except (pa.ArrowException, OSError) as error:
        raise InputError(f"{url}: not a Parquet file ({_reason(error)})") from None


def _reason(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def plan_parts(files: list[InputFile], csv_part_bytes: int) -> list[Part]:
    """The parts of the files, in their order: CSV files cut every `csv_part_bytes` bytes (at the
    next line break), Parquet files by row group."""
    return [Part(index, *cut) for index, cut in enumerate(_cuts(files, max(csv_part_bytes, 1)))]


def _cuts(files: list[InputFile], csv_part_bytes: int) -> Iterator[tuple[Any, ...]]:
    for file in files:
        if file.format == "csv":
            for offset in range(0, max(file.size, 1), csv_part_bytes):
                yield file, offset, csv_part_bytes
        else:
            with fsspec.open(file.url, "rb") as stream:
                for row_group in range(_parquet(stream, file.url).num_row_groups):
                    yield file, 0, 0, row_group


def read_part(part: Part) -> pd.DataFrame:
    """The rows of a part, every one with a non-empty text, or an InputError naming its file.
    CSV columns are read as text, as `predict --input` reads them; Parquet keeps its types."""
    import pandas as pd

    try:
        frame: pd.DataFrame
        with fsspec.open(part.file.url, "rb") as stream:
            if part.file.format == "parquet":
                frame = _parquet(stream, part.file.url).read_row_group(part.row_group).to_pandas()
            else:
                frame = _read_csv_block(stream, part.offset, part.length)
    except InputError:
        raise
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InputError(f"{part.file.url}: cannot be read ({_reason(error)})") from None
    if TEXT_COLUMN not in frame.columns:
        raise InputError(f"{part.file.url}: no `{TEXT_COLUMN}` column")
    texts = frame[TEXT_COLUMN]
    empty = texts.isna() | (texts.astype(str).str.strip() == "")
    if empty.any():
        where = (
            f"row group {part.row_group}"
            if part.file.format == "parquet"
            else f"lines from byte {part.offset}"
        )
        raise InputError(
            f"{part.file.url}: {int(empty.sum())} row(s) with an empty `{TEXT_COLUMN}` ({where})"
        )
    return frame


def _read_csv_block(stream: Any, offset: int, length: int) -> pd.DataFrame:
    """The rows whose line starts in [offset, offset + length), under the file's header."""
    import pandas as pd
    from fsspec.utils import read_block

    header = stream.readline()
    block = read_block(stream, offset, length, delimiter=b"\n")
    content = block if offset == 0 else header + block
    frame: pd.DataFrame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    return frame
