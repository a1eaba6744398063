"""From a Label Studio export to labelled rows, with skipped work and disagreements handled."""

from typing import Any

import pytest

from {{ cookiecutter.package_name }}.annotation.export import ExportError, read_export


def annotation(label: str | None, who: str, when: str, cancelled: bool = False) -> dict[str, Any]:
    result = (
        []
        if label is None
        else [
            {
                "from_name": "label",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": [label]},
            }
        ]
    )
    return {
        "result": result,
        "completed_by": {"id": 1, "email": who},
        "updated_at": when,
        "was_cancelled": cancelled,
    }


def task(task_id: int, row_id: str, *annotations: dict[str, Any]) -> dict[str, Any]:
    data = {"row_id": row_id, "text": f"message {row_id}"}
    return {"id": task_id, "data": data, "annotations": list(annotations)}


def test_agreed_labels_become_rows_with_provenance() -> None:
    pulled = read_export(
        [
            task(1, "m1", annotation("billing", "ada@example.com", "2026-01-02T10:00:00Z")),
            task(
                2,
                "m2",
                annotation("returns", "ada@example.com", "2026-01-02T10:00:00Z"),
                annotation("returns", "bob@example.com", "2026-01-03T10:00:00Z"),
            ),
        ]
    )
    rows = pulled.labelled.to_dict("records")
    assert rows == [
        {
            "row_id": "m1",
            "text": "message m1",
            "label": "billing",
            "annotator": "ada@example.com",
            "annotated_at": "2026-01-02T10:00:00Z",
            "task_id": 1,
        },
        {
            "row_id": "m2",
            "text": "message m2",
            "label": "returns",
            "annotator": "bob@example.com",
            "annotated_at": "2026-01-03T10:00:00Z",
            "task_id": 2,
        },
    ]
    assert pulled.agreement == 1.0


def test_skipped_cancelled_and_unlabelled_tasks_are_left_out() -> None:
    pulled = read_export(
        [
            task(1, "m1"),
            task(2, "m2", annotation("billing", "ada@example.com", "t", cancelled=True)),
            task(3, "m3", annotation(None, "ada@example.com", "t")),
        ]
    )
    assert pulled.labelled.empty
    assert pulled.skipped == 2
    assert pulled.agreement is None


def test_disagreements_are_reported_and_not_resolved() -> None:
    pulled = read_export(
        [
            task(
                1,
                "m1",
                annotation("billing", "ada@example.com", "t1"),
                annotation("returns", "bob@example.com", "t2"),
            ),
            task(
                2,
                "m2",
                annotation("shipping", "ada@example.com", "t1"),
                annotation("shipping", "bob@example.com", "t2"),
            ),
        ]
    )
    assert pulled.disagreements == ["m1"]
    assert pulled.labelled["row_id"].tolist() == ["m2"]
    assert pulled.multiply_annotated == 2
    assert pulled.agreement == 0.5


def labelled(task_id: Any, data: Any, completed_by: Any = 1) -> dict[str, Any]:
    answer = annotation("billing", "ada@example.com", "t") | {"completed_by": completed_by}
    return {"id": task_id, "data": data, "annotations": [answer]}


@pytest.mark.parametrize(
    ("exported", "where"),
    [
        ([labelled(7, {"row_id": "m7"})], "task 7, data.text: Field required"),
        ([labelled(7, {"text": "hello"})], "task 7, data.row_id: Field required"),
        ([labelled("7a", {"row_id": "m7", "text": "hi"})], "item 2 of the export, id:"),
        ([labelled(7, {"row_id": "m7", "text": "hi"}, "bob")], "annotations.0.completed_by"),
        ([labelled(7, {"row_id": "m7", "text": ["hi"]})], "task 7, data.text:"),
        ([labelled(7, "a message")], "task 7, data:"),
        ({"detail": "not found"}, "the export: Input should be a valid list"),
    ],
    ids=[
        "missing-text",
        "missing-id",
        "non-integer-id",
        "string-annotator",
        "text-not-a-string",
        "data-not-an-object",
        "not-a-list",
    ],
)
def test_a_malformed_export_is_refused_with_one_line(exported: Any, where: str) -> None:
    good = task(1, "m1", annotation("billing", "ada@example.com", "t"))
    with pytest.raises(ExportError) as refused:
        read_export([good, *exported] if isinstance(exported, list) else exported)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("Label Studio's export is not what this project reads")
    assert where in message
