"""Keep the generated parts of the model card and the datasheet in step with the latest model.

Only the text between `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->` is
replaced; everything the team writes around it is left alone.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from statistics import median

import pandas as pd

from .store import ModelMetadata

MODEL_CARD = "model_card.md"
DATASHEET = "datasheet.md"

logger = logging.getLogger(__name__)
SERVING = {
    "scorer": "its fast scorer (numpy alone, no scikit-learn)",
    "pipeline": "its pipeline (scikit-learn: the fast scorer exports none of its shape)",
}


class MissingMarkersError(ValueError):
    """The document has no generated block of that name."""


def replace_block(document: str, name: str, content: str) -> str:
    """Replace the body of the generated block `name` in `document`."""
    begin, end = f"<!-- BEGIN GENERATED: {name} -->", f"<!-- END GENERATED: {name} -->"
    pattern = re.compile(f"({re.escape(begin)}\n).*?({re.escape(end)})", re.DOTALL)
    if not pattern.search(document):
        raise MissingMarkersError(f"no generated block {name!r}")
    return pattern.sub(lambda match: match[1] + content.rstrip("\n") + "\n" + match[2], document)


def _table(header: tuple[str, str], rows: list[tuple[str, str]]) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "| --- | --- |"]
    lines += [f"| {key} | {value} |" for key, value in rows]
    return "\n".join(lines)


def model_card_block(metadata: ModelMetadata) -> str:
    """Markdown describing a model version."""
    facts = [
        ("Version", f"`{metadata.version}`"),
        ("Trained at (UTC)", metadata.trained_at.strftime("%Y-%m-%d %H:%M")),
        ("Labels", ", ".join(metadata.labels)),
        ("Training data", f"{metadata.data.rows} rows, sha256 `{metadata.data.sha256[:12]}`"),
        ("Code", f"{metadata.code.package_version} ({metadata.code.git_commit or 'no commit'})"),
        ("Served by", SERVING[metadata.serving]),
    ]
    metrics = {name: f"{value:.3f}" for name, value in metadata.metrics.items()}
    held_out = [(name, value) for name, value in metrics.items() if not name.startswith("cv_")]
    cross_validated = [(name, value) for name, value in metrics.items() if name.startswith("cv_")]
    params = [(name, f"`{value}`") for name, value in metadata.params.items()]
    libraries = [(name, version) for name, version in metadata.libraries.items()]
    sections = [
        _table(("Fact", "Value"), facts),
        "Held-out metrics:\n\n" + _table(("Metric", "Value"), held_out),
    ]
    if cross_validated:
        sections.append(
            "Cross-validated on the training split:\n\n"
            + _table(("Metric", "Value"), cross_validated)
        )
    sections += [
        "Parameters:\n\n" + _table(("Parameter", "Value"), params),
        "Libraries:\n\n" + _table(("Library", "Version"), libraries),
    ]
    return "\n\n".join(sections)


def datasheet_block(frame: pd.DataFrame, sha256: str) -> str:
    """Markdown describing the training data."""
    counts = frame["label"].value_counts().sort_index()
    words = [len(text.split()) for text in frame["text"]]
    distribution = [
        (str(label), f"{count} ({count / len(frame):.0%})") for label, count in counts.items()
    ]
    lengths = [
        ("Messages", str(len(frame))),
        ("SHA-256", f"`{sha256}`"),
        ("Words per message: min, median, max", f"{min(words)}, {median(words):g}, {max(words)}"),
    ]
    return (
        _table(("Fact", "Value"), lengths)
        + "\n\nLabel distribution:\n\n"
        + _table(("Label", "Messages"), distribution)
    )


def update_block(path: Path, name: str, content: str) -> bool:
    """Rewrite one generated block in place; warn and keep the file if its markers are gone."""
    try:
        updated = replace_block(path.read_text(encoding="utf-8"), name, content)
    except (FileNotFoundError, MissingMarkersError) as error:
        logger.warning("Not updating %s: %s", path, error)
        return False
    path.write_text(updated, encoding="utf-8")
    return True


def update_docs(docs_dir: Path, metadata: ModelMetadata, frame: pd.DataFrame) -> None:
    """Refresh the model card and the datasheet for the promoted model."""
    update_block(docs_dir / MODEL_CARD, "model", model_card_block(metadata))
    update_block(docs_dir / DATASHEET, "data", datasheet_block(frame, metadata.data.sha256))
