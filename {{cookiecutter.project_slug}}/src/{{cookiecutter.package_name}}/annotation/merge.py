"""Merging pulled annotations into the training data: validated, atomic, idempotent."""

import os
import tempfile
from pathlib import Path

import pandas as pd

from ..data import MessageSchema, validate
from .export import COLUMNS


def merge_annotations(pulled: pd.DataFrame, target: Path) -> int:
    """Write `pulled` over the annotations already in `target` (a pull is the whole truth for the
    messages it has; others stay). Validated like the bundled data, and written atomically: a crash
    leaves the previous file whole. Returns how many messages the file now has."""
    if target.exists():
        kept = pd.read_csv(target, dtype=str, keep_default_na=False)
        kept = kept[~kept["message_id"].isin(pulled["message_id"])]
        merged = pd.concat([kept, pulled.astype(str)], ignore_index=True)
    else:
        merged = pulled.astype(str)
    merged = merged[COLUMNS].sort_values("message_id", ignore_index=True)
    validate(merged, MessageSchema, str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            merged.to_csv(stream, index=False)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(merged)
