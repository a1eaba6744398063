"""Reading uploaded CSV files: good ones give their messages, bad ones a message saying why."""

import pytest

from {{ cookiecutter.package_name }}.demo.uploads import UploadError, read_upload


def read(content: bytes, max_bytes: int = 10_000, max_rows: int = 10) -> list[str]:
    return read_upload(content, max_bytes, max_rows)


def test_the_text_column_is_read_in_order() -> None:
    content = b'id,text\n1,"Where is my parcel, please?"\n2,I was charged twice\n'
    assert read(content) == ["Where is my parcel, please?", "I was charged twice"]


@pytest.mark.parametrize(
    ("content", "limits", "message"),
    [
        (b"text\n" + b"x" * 200, {"max_bytes": 100}, "the limit is 100"),
        (b"text\n" + b"hello\n" * 11, {}, "11 messages; the limit is 10"),
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
        read(content, **limits)
