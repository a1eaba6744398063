"""Merging pulled annotations into the training data: validated, atomic, idempotent."""

from pathlib import Path

import pandas as pd

from ..data import DataValidationError, write_labelled
from .export import COLUMNS


def merge_annotations(pulled: pd.DataFrame, target: Path) -> int:
    """Write `pulled` over the annotations already in `target` (a pull is the whole truth for the
    rows it has, by the id in its first column; others stay). Validated like the training data,
    and written atomically: a crash leaves the previous file whole. Returns how many rows the
    file now has."""
    key = str(pulled.columns[0])
    if target.exists():
        kept = pd.read_csv(target, dtype=str, keep_default_na=False)
        if key not in kept.columns:
            raise DataValidationError(
                [f"{target}: column {key!r} is missing, so nothing was merged"]
            )
        kept = kept[~kept[key].isin(pulled[key])]
        merged = pd.concat([kept, pulled.astype(str)], ignore_index=True)
    else:
        merged = pulled.astype(str)
    merged = merged[[key, *COLUMNS]].sort_values(key, ignore_index=True)
    write_labelled(merged, target)
    return len(merged)
