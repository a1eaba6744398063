"""From a Label Studio export to labelled messages with provenance, and agreement between
annotators (disagreements are reported, never resolved silently).

The export is validated first, as a whole: one that does not have the shape this project reads
(a task without text, an id that is not a number, an annotator given as a name...) is refused with
one line that says where, before anything is merged.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from .config import CHOICES_NAME, ROW_ID

# After the id column, which is named by the id_column setting (ROW_ID when it is unset).
COLUMNS = ["text", "label", "annotator", "annotated_at", "task_id"]


class ExportError(ValueError):
    """The export does not have the shape this project reads; the message says where."""


class _Exported(BaseModel):
    """A part of the export: the fields read here, strictly typed; the others are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Person(_Exported):
    id: StrictInt
    email: StrictStr | None = None


class Choices(_Exported):
    choices: list[StrictStr] = []


class Result(_Exported):
    from_name: StrictStr
    value: Choices


class Annotation(_Exported):
    result: list[Result] = []
    was_cancelled: StrictBool = False
    completed_by: StrictInt | Person | None = None
    created_at: StrictStr | None = None
    updated_at: StrictStr | None = None

    @property
    def label(self) -> str | None:
        """The chosen team, if the annotator chose one."""
        for result in self.result:
            if result.from_name == CHOICES_NAME and result.value.choices:
                return result.value.choices[0]
        return None


class TaskData(_Exported):
    row_id: StrictStr | StrictInt
    text: StrictStr


class Task(_Exported):
    id: StrictInt
    data: TaskData
    annotations: list[Annotation] = []


TASKS = TypeAdapter(list[Task])


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


def parse_export(exported: object) -> list[Task]:
    """The tasks of an export (JSON format), or an ExportError naming the first problem."""
    try:
        return TASKS.validate_python(exported)
    except PydanticValidationError as error:
        first, more = error.errors()[0], error.error_count() - 1
        where = "the export" if not first["loc"] else _task_name(exported, first["loc"])
        problem = f"{where}: {first['msg']}" + (f" (and {more} more)" if more else "")
        raise ExportError(
            "Label Studio's export is not what this project reads, so nothing was merged:"
            f" {problem}"
        ) from None


def _task_name(exported: object, location: tuple[int | str, ...]) -> str:
    """`task <id>, <field>` (or `item <n>` when the task has no usable id)."""
    index, *path = location
    task = exported[index] if isinstance(exported, list) and isinstance(index, int) else None
    task_id = task.get("id") if isinstance(task, Mapping) else None
    name = f"task {task_id}" if type(task_id) is int else f"item {int(index) + 1} of the export"
    return ", ".join([name, *([".".join(map(str, path))] if path else [])])


def _annotator(annotation: Annotation, people: Mapping[int, str]) -> str:
    person = annotation.completed_by
    if isinstance(person, Person):
        return person.email or str(person.id)
    return "" if person is None else people.get(person, str(person))


def read_export(
    exported: object, people: Mapping[int, str] | None = None, id_column: str = ROW_ID
) -> Pulled:
    """Agreed labels of an export (JSON format); skipped and cancelled annotations do not count.
    `people` names the annotators that the export gives by user id; the ids go in `id_column`."""
    rows, disagreements, multiple, skipped = [], [], 0, 0
    for task in parse_export(exported):
        answers = []
        for annotation in task.annotations:
            if annotation.was_cancelled or annotation.label is None:
                skipped += 1
                continue
            answers.append((annotation.label, annotation))
        if not answers:
            continue
        row_id = str(task.data.row_id)
        if len(answers) > 1:
            multiple += 1
            if len({label for label, _ in answers}) > 1:
                disagreements.append(row_id)
                continue
        label, latest = max(answers, key=lambda answer: answer[1].updated_at or "")
        annotated_at = latest.updated_at or latest.created_at or ""
        annotator = _annotator(latest, people or {})
        rows.append([row_id, task.data.text, label, annotator, annotated_at, task.id])
    labelled = pd.DataFrame(rows, columns=[id_column, *COLUMNS])
    labelled = labelled.sort_values(id_column, ignore_index=True)
    return Pulled(labelled, disagreements, multiple, skipped)
