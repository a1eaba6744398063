"""The Label Studio labelling configuration, generated from the label set."""

from collections.abc import Sequence
from xml.sax.saxutils import quoteattr

TEXT_NAME = "text"
CHOICES_NAME = "label"
# The key of a task's data that holds the row's id (see data.row_ids).
ROW_ID = "row_id"


def labelling_config(labels: Sequence[str]) -> str:
    """One text, one choice per label, with the keys 1, 2, 3... as shortcuts."""
    if not 0 < len(labels) <= 9:
        raise ValueError(f"keyboard shortcuts cover 1 to 9 labels, not {len(labels)}")
    choices = "\n".join(
        f'    <Choice value={quoteattr(label)} hotkey="{number}"/>'
        for number, label in enumerate(labels, start=1)
    )
    return (
        "<View>\n"
        f'  <Text name="{TEXT_NAME}" value="${TEXT_NAME}"/>\n'
        f'  <Choices name="{CHOICES_NAME}" toName="{TEXT_NAME}" choice="single-radio"'
        ' showInline="true" required="true">\n'
        f"{choices}\n"
        "  </Choices>\n"
        "</View>\n"
    )
