"""Loading and validating labelled texts: any CSV with a `text` and a `label` column.

Other columns are kept as they are. The label set is whatever the data holds. A row's id, where one
is needed, is read from the column that the `id_column` setting names, or derived from its text.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from glob import glob
from pathlib import Path

import fsspec
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from pandera.typing.pandas import Series
from sklearn.model_selection import train_test_split

from .errors import DataValidationError as DataValidationError  # re-exported for callers
from .labels import MAX_TEXT_LENGTH

# A CSV's first line is its header, so data row i (0-based) stands on line i + 2.
HEADER_LINES = 2


MIN_LABELS = 2
# Every label needs rows in training and in the held-out test set.
MIN_ROWS_PER_LABEL = 2
# A derived id is this many hex digits of the SHA-256 of the text: short, and stable.
DERIVED_ID_LENGTH = 16


class UnlabelledSchema(pa.DataFrameModel):
    """A text waiting for a label; any other columns are kept as they are."""

    text: Series[str] = pa.Field(str_length={"min_value": 1, "max_value": MAX_TEXT_LENGTH})

    class Config:
        coerce = True


class MessageSchema(UnlabelledSchema):
    """A labelled text; any other columns (an id, provenance...) are kept as they are."""

    label: Series[str] = pa.Field(str_length={"min_value": 1})


def _describe(source: str, failures: pd.DataFrame) -> list[str]:
    problems = []
    for failure in failures.to_dict("records"):
        if failure["schema_context"] == "DataFrameSchema":
            problems.append(f"{source}: column {failure['failure_case']!r} is missing")
            continue
        row = failure["index"]
        where = "" if pd.isna(row) else f" line {int(row) + HEADER_LINES},"
        problems.append(
            f"{source}:{where} column {failure['column']!r}:"
            f" value {failure['failure_case']!r} fails {failure['check']}"
        )
    return problems


def validate(frame: pd.DataFrame, schema: type[pa.DataFrameModel], source: str) -> pd.DataFrame:
    """Validate `frame` against `schema`, naming the file, line and column of every failure."""
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as error:
        raise DataValidationError(_describe(source, error.failure_cases)) from error


def read_csv(
    path: Path | str, schema: type[pa.DataFrameModel], id_column: str | None = None
) -> pd.DataFrame:
    """Read one CSV file as text and validate it; with `id_column`, that column must hold an
    id on every row."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise DataValidationError([f"{path}: not a readable UTF-8 CSV file ({error})"]) from error
    problems = []
    if id_column is not None and id_column not in frame.columns:
        problems.append(f"{path}: column {id_column!r} (the id_column setting) is missing")
    elif id_column is not None:
        empty = frame.index[frame[id_column].str.strip() == ""]
        problems += [
            f"{path}: line {row + HEADER_LINES}, column {id_column!r} is empty" for row in empty
        ]
    if problems:
        raise DataValidationError(problems)
    return validate(frame, schema, str(path))


def derived_id(text: str) -> str:
    """A stable id for a row that has none: the start of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DERIVED_ID_LENGTH]


def row_ids(frame: pd.DataFrame, id_column: str | None) -> pd.Series:
    """The id of every row: its `id_column` if one is set, otherwise derived from its text."""
    if id_column is not None:
        return frame[id_column].astype(str)
    return frame["text"].map(derived_id)


def labels_of(frame: pd.DataFrame) -> list[str]:
    """The label set of labelled data, sorted."""
    return sorted(set(frame["label"]))


def _is_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def expand(patterns: Iterable[str]) -> list[Path | str]:
    """Files named by the patterns, globs expanded in a stable order; plain paths kept as given.
    A pattern may be a URL (s3://bucket/data/*.csv): its files stay URLs, read through fsspec."""
    files: list[Path | str] = []
    for pattern in patterns:
        if "://" in pattern:
            files.extend(_expand_url(pattern))
            continue
        # glob.glob, unlike Path.glob, accepts absolute patterns.
        matches = sorted(map(Path, glob(pattern)))  # noqa: PTH207
        files.extend(matches if _is_glob(pattern) else [Path(pattern)])
    return files


def _expand_url(pattern: str) -> list[str]:
    filesystem, path = fsspec.core.url_to_fs(pattern)
    if not _is_glob(path):
        return [pattern]
    return [filesystem.unstrip_protocol(match) for match in sorted(filesystem.glob(path))]


def _is_file(file: Path | str) -> bool:
    if isinstance(file, Path):
        return file.is_file()
    filesystem, path = fsspec.core.url_to_fs(file)
    return bool(filesystem.isfile(path))


def load_training_data(patterns: Iterable[str], id_column: str | None = None) -> pd.DataFrame:
    """Load, validate and concatenate every labelled file; with `id_column`, its ids must be
    unique overall."""
    files = expand(patterns)
    if not files:
        raise DataValidationError([f"no training data matches {list(patterns)}"])
    missing = [str(path) for path in files if not _is_file(path)]
    if missing:
        raise DataValidationError([f"{path}: file not found" for path in missing])
    frames = [read_csv(path, MessageSchema, id_column) for path in files]
    combined = pd.concat(frames, ignore_index=True)
    if id_column is not None:
        duplicated = combined.loc[combined[id_column].duplicated(), id_column]
        if not duplicated.empty:
            raise DataValidationError(
                [f"{id_column} {value!r} appears more than once" for value in duplicated]
            )
    return combined


def write_labelled(frame: pd.DataFrame, target: Path) -> None:
    """Validate `frame` like the training data and write it to `target` whole: under another
    name first, then renamed, so that a crash leaves the previous file as it was."""
    validate(frame, MessageSchema, str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_unlabelled(path: Path, id_column: str | None = None) -> pd.DataFrame:
    """Load and validate the pool of unlabelled texts."""
    return read_csv(path, UnlabelledSchema, id_column)


def fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 of the training content (texts and labels), independent of row order."""
    canonical = frame[["text", "label"]].sort_values(["text", "label"])
    return hashlib.sha256(canonical.to_csv(index=False).encode("utf-8")).hexdigest()


def split(frame: pd.DataFrame, test_size: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stratified train/test split, reproducible for a given seed."""
    counts = frame["label"].value_counts()
    if len(counts) < MIN_LABELS:
        raise DataValidationError([f"the data has {len(counts)} label(s); a model needs 2 or more"])
    rare = counts[counts < MIN_ROWS_PER_LABEL]
    if not rare.empty:
        raise DataValidationError(
            [
                f"label {label!r} has {count} row(s); each label needs {MIN_ROWS_PER_LABEL} or more"
                for label, count in rare.items()
            ]
        )
    try:
        train, test = train_test_split(
            frame, test_size=test_size, random_state=seed, stratify=frame["label"]
        )
    except ValueError as error:  # too few rows for the share held out
        raise DataValidationError([f"cannot hold out test_size={test_size}: {error}"]) from error
    return train, test
