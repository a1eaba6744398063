"""From a Label Studio export to labelled messages with provenance, and agreement between
annotators (disagreements are reported, never resolved silently)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .config import CHOICES_NAME

COLUMNS = ["message_id", "text", "label", "annotator", "annotated_at", "task_id"]


@dataclass
class Pulled:
    """What an export holds: agreed labels, and the messages whose annotators disagree."""

    labelled: pd.DataFrame
    disagreements: list[str] = field(default_factory=list)
    multiply_annotated: int = 0
    skipped: int = 0

    @property
    def agreement(self) -> float | None:
        """Share of the messages labelled by several people on which they all agree."""
        if not self.multiply_annotated:
            return None
        return 1 - len(self.disagreements) / self.multiply_annotated


def _label(annotation: Mapping[str, Any]) -> str | None:
    for result in annotation.get("result", []):
        if result.get("from_name") == CHOICES_NAME and result["value"].get("choices"):
            return str(result["value"]["choices"][0])
    return None


def _annotator(annotation: Mapping[str, Any], people: Mapping[int, str]) -> str:
    person = annotation.get("completed_by")
    if isinstance(person, Mapping):
        return str(person.get("email") or person.get("id"))
    return people.get(int(person), str(person)) if person is not None else ""


def read_export(
    tasks: Iterable[Mapping[str, Any]], people: Mapping[int, str] | None = None
) -> Pulled:
    """Agreed labels of an export (JSON format); skipped and cancelled annotations do not count.
    `people` names the annotators that the export gives by user id."""
    rows, disagreements, multiple, skipped = [], [], 0, 0
    for task in tasks:
        answers = []
        for annotation in task.get("annotations", []):
            label = _label(annotation)
            if annotation.get("was_cancelled") or label is None:
                skipped += 1
                continue
            answers.append((label, annotation))
        if not answers:
            continue
        message_id = str(task["data"]["message_id"])
        if len(answers) > 1:
            multiple += 1
            if len({label for label, _ in answers}) > 1:
                disagreements.append(message_id)
                continue
        label, latest = max(answers, key=lambda answer: str(answer[1].get("updated_at", "")))
        rows.append(
            [
                message_id,
                str(task["data"]["text"]),
                label,
                _annotator(latest, people or {}),
                str(latest.get("updated_at") or latest.get("created_at", "")),
                int(task["id"]),
            ]
        )
    labelled = pd.DataFrame(rows, columns=COLUMNS).sort_values("message_id", ignore_index=True)
    return Pulled(labelled, disagreements, multiple, skipped)
