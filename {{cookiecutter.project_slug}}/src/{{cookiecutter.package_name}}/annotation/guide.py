"""The label table of the annotation guide, kept in step with the labels being annotated.

The table stands between `<!-- BEGIN GENERATED: labels -->` and `<!-- END GENERATED: labels -->`;
each label keeps the description the team wrote for it, a new label gets one to fill in.
"""

import re
from collections.abc import Sequence
from pathlib import Path

from ..docs import update_block

BLOCK = "labels"
GUIDE = "annotation_guide.md"
TO_DESCRIBE = "(describe when a text gets this label)"
ROW = re.compile(r"^\| \d+ \| (?P<label>.+?) \| (?P<description>.*) \|$", re.MULTILINE)


def descriptions(guide: str) -> dict[str, str]:
    """The description of every label in the guide's table."""
    return {match["label"]: match["description"] for match in ROW.finditer(guide)}


def label_table(labels: Sequence[str], described: dict[str, str]) -> str:
    """The table: the key that chooses each label in Label Studio, the label, its description."""
    lines = ["| Key | Label | A text gets this label when it is about |", "| --- | --- | --- |"]
    lines += [
        f"| {key} | {label} | {described.get(label, TO_DESCRIBE)} |"
        for key, label in enumerate(labels, start=1)
    ]
    return "\n".join(lines)


def update_guide(docs_dir: Path, labels: Sequence[str]) -> bool:
    """Rewrite the guide's table for `labels`; False (with a warning logged) if it has none."""
    path = docs_dir / GUIDE
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    return update_block(path, BLOCK, label_table(labels, descriptions(current)))
