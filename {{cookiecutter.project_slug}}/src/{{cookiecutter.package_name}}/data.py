"""Loading and validating the bundled messages."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from glob import glob
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from pandera.typing.pandas import Series
from sklearn.model_selection import train_test_split

from .errors import DataValidationError as DataValidationError  # re-exported for callers
from .labels import LABELS, MAX_TEXT_LENGTH

# A CSV's first line is its header, so data row i (0-based) stands on line i + 2.
HEADER_LINES = 2


class UnlabelledSchema(pa.DataFrameModel):
    """A message waiting for a label."""

    message_id: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    text: Series[str] = pa.Field(str_length={"min_value": 1, "max_value": MAX_TEXT_LENGTH})

    class Config:
        coerce = True


class MessageSchema(UnlabelledSchema):
    """A labelled message; extra columns (such as provenance) are kept as they are."""

    label: Series[str] = pa.Field(isin=list(LABELS))


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


def read_csv(path: Path, schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """Read one CSV file as text and validate it."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise DataValidationError([f"{path}: not a readable UTF-8 CSV file ({error})"]) from error
    return validate(frame, schema, str(path))


def _is_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def expand(patterns: Iterable[str]) -> list[Path]:
    """Files named by the patterns, globs expanded in a stable order; plain paths kept as given."""
    files: list[Path] = []
    for pattern in patterns:
        # glob.glob, unlike Path.glob, accepts absolute patterns.
        matches = sorted(map(Path, glob(pattern)))  # noqa: PTH207
        files.extend(matches if _is_glob(pattern) else [Path(pattern)])
    return files


def load_training_data(patterns: Iterable[str]) -> pd.DataFrame:
    """Load, validate and concatenate every labelled file; message ids must be unique overall."""
    files = expand(patterns)
    if not files:
        raise DataValidationError([f"no training data matches {list(patterns)}"])
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        raise DataValidationError([f"{path}: file not found" for path in missing])
    frames = [read_csv(path, MessageSchema) for path in files]
    combined = pd.concat(frames, ignore_index=True)
    duplicated = combined.loc[combined["message_id"].duplicated(), "message_id"]
    if not duplicated.empty:
        raise DataValidationError(
            [f"message_id {value!r} appears in more than one file" for value in duplicated]
        )
    return combined


def load_unlabelled(path: Path) -> pd.DataFrame:
    """Load and validate the pool of unlabelled messages."""
    return read_csv(path, UnlabelledSchema)


def fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 of the training content (ids, texts, labels), independent of row order."""
    canonical = frame[["message_id", "text", "label"]].sort_values("message_id")
    return hashlib.sha256(canonical.to_csv(index=False).encode("utf-8")).hexdigest()


def split(frame: pd.DataFrame, test_size: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stratified train/test split, reproducible for a given seed."""
    train, test = train_test_split(
        frame, test_size=test_size, random_state=seed, stratify=frame["label"]
    )
    return train, test
