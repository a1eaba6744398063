import threading
from pathlib import Path

from {{ cookiecutter.package_name }}.monitoring import ids
from {{ cookiecutter.package_name }}.monitoring.ids import RequestIds, Served


def test_an_id_says_which_version_served_which_label() -> None:
    signed = RequestIds(b"key")
    request_id = signed.issue("20260101-000000-abcdef", "billing")
    assert signed.read(request_id) == Served(request_id, "20260101-000000-abcdef", "billing")
    assert signed.issue("20260101-000000-abcdef", "billing") != request_id


def test_ids_of_another_key_or_edited_ones_are_unknown() -> None:
    request_id = RequestIds(b"key").issue("v1", "billing")
    assert RequestIds(b"other key").read(request_id) is None
    payload, signature = request_id.rsplit(".", 1)
    forged = RequestIds(b"other key").issue("v1", "shipping").rsplit(".", 1)[0]
    assert RequestIds(b"key").read(f"{forged}.{signature}") is None
    for unknown in ("", "not an id", payload, f"{payload}.", "a.b.c", "0" * 1000):
        assert RequestIds(b"key").read(unknown) is None


def test_texts_are_hashed_with_the_key() -> None:
    signed = RequestIds(b"key")
    assert signed.text_hash("I was charged twice") == signed.text_hash("I was charged twice")
    assert signed.text_hash("I was charged twice") != signed.text_hash("I was charged twice!")
    assert signed.text_hash("same") != RequestIds(b"other key").text_hash("same")


def test_the_local_key_is_made_once_for_every_server_and_kept_private(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    keys: list[bytes] = []
    starts = [threading.Thread(target=lambda: keys.append(ids.local_key(folder))) for _ in range(8)]
    for start in starts:
        start.start()
    for start in starts:
        start.join()
    assert len(set(keys)) == 1
    assert len(keys[0]) == 64
    assert ids.local_key(folder) == keys[0]  # and after a restart
    assert (folder / ids.KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert [path.name for path in folder.iterdir()] == [ids.KEY_FILE]
