import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.monitoring.sink import LogSink


def record(time: str, **fields: object) -> dict[str, object]:
    return {"time": time, **fields}


def test_records_are_written_one_file_per_day_and_read_back(tmp_path: Path) -> None:
    sink = LogSink(str(tmp_path / "log"))
    first = [record("2026-12-01T23:59:59+00:00", n=1), record("2026-12-02T00:00:00+00:00", n=2)]
    written = sink.write("predictions", first)
    sink.write("predictions", [record("2026-12-02T10:00:00+00:00", n=3, text="é")])
    assert [Path(path).parent.name for path in written] == ["day=2026-12-01", "day=2026-12-02"]
    assert [r["n"] for r in sink.read("predictions")] == [1, 2, 3]
    assert [r["n"] for r in sink.read("predictions", since=date(2026, 12, 2))] == [2, 3]
    assert [r["n"] for r in sink.read("predictions", until=date(2026, 12, 1))] == [1]
    assert list(sink.read("feedback")) == []
    # Plain gzipped JSON lines, for any reader.
    lines = gzip.decompress(Path(written[0]).read_bytes()).decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == first[:1]


def test_a_file_interrupted_while_written_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = LogSink(str(tmp_path))
    sink.write("predictions", [record("2026-12-02T10:00:00+00:00", n=1)])

    def crash(*_: object) -> None:
        raise OSError("the machine stopped")

    monkeypatch.setattr(sink.fs, "mv", crash)
    with pytest.raises(OSError, match="stopped"):
        sink.write("predictions", [record("2026-12-02T11:00:00+00:00", n=2)])
    day = tmp_path / "predictions" / "day=2026-12-02"
    assert len(list(day.iterdir())) == 2  # the whole file, and the hidden one left by the crash
    assert [r["n"] for r in sink.read("predictions")] == [1]
