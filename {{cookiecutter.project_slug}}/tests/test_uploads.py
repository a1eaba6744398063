"""Reading a CSV file of texts to predict: good ones keep every column, bad ones say why."""

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.prediction import Prediction
from {{ cookiecutter.package_name }}.uploads import UploadError, read_texts, with_predictions


def test_the_text_column_is_read_in_order_with_every_other_column() -> None:
    content = b'ref,text,stars\n007,"Where is my parcel, please?",4\nNA,I was charged twice,\n'
    frame = read_texts(content)
    assert frame.columns.tolist() == ["ref", "text", "stars"]
    assert frame["text"].tolist() == ["Where is my parcel, please?", "I was charged twice"]
    assert frame["ref"].tolist() == ["007", "NA"]  # text stays text
    assert frame["stars"].tolist() == ["4", ""]


@pytest.mark.parametrize(
    ("content", "limits", "message"),
    [
        (b"text\n" + b"x" * 200, {"max_bytes": 100}, "the limit is 100"),
        (b"text\n" + b"hello\n" * 11, {"max_rows": 10}, "11 messages; the limit is 10"),
        (b"message,team\nhello,billing\n", {}, "no `text` column; its columns are: message, team"),
        (b"text\n\xff\xfe\x00broken\n", {}, "not a UTF-8 CSV file"),
        (b"", {}, "not a UTF-8 CSV file"),
        (b'text\n"unclosed\n', {}, "not a UTF-8 CSV file"),
        (b"id,text\n1,hello\n2,  \n", {}, "Empty `text` on line(s) 3"),
        (b"text\n", {}, "a header but no messages"),
    ],
)
def test_bad_files_are_refused_with_the_reason(
    content: bytes, limits: dict[str, int], message: str
) -> None:
    with pytest.raises(UploadError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_texts(content, **limits)


def test_predictions_come_after_every_input_column_which_are_kept() -> None:
    frame = pd.DataFrame({"label": ["gold"], "text": ["hello"], "note": ["n"]})
    result = with_predictions(frame, [Prediction("spam", 0.87654, {"spam": 0.87654})])
    assert result.to_dict("records") == [
        {"label_input": "gold", "text": "hello", "note": "n", "label": "spam", "confidence": 0.8765}
    ]
