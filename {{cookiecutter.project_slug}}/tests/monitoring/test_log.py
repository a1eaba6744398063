import threading
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, Counter

from {{ cookiecutter.package_name }}.monitoring.log import BufferedLog
from {{ cookiecutter.package_name }}.monitoring.sink import LogSink, Record, now


class Counted:
    """A log's counters, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.written = Counter("written", "", ["kind"], registry=self.registry)
        self.dropped = Counter("dropped", "", ["kind", "reason"], registry=self.registry)

    def value(self, name: str, **labels: str) -> float:
        return self.registry.get_sample_value(f"{name}_total", labels) or 0.0


def buffered(
    sink: LogSink, counted: Counted, capacity: int = 10, interval: float = 60
) -> BufferedLog:
    return BufferedLog(sink, "predictions", capacity, interval, counted.written, counted.dropped)


def test_records_wait_in_memory_until_flushed(tmp_path: Path) -> None:
    sink, counted = LogSink(str(tmp_path)), Counted()
    log = buffered(sink, counted)
    for n in range(3):
        log.add({"time": now(), "n": n})
    assert list(sink.read("predictions")) == []
    assert log.flush() == 3
    assert [r["n"] for r in sink.read("predictions")] == [0, 1, 2]
    assert log.flush() == 0
    assert counted.value("written", kind="predictions") == 3


def test_a_full_buffer_drops_and_counts_records_and_never_waits(tmp_path: Path) -> None:
    sink, counted = LogSink(str(tmp_path)), Counted()
    log = buffered(sink, counted, capacity=4)
    for n in range(10):
        log.add({"time": now(), "n": n})
    assert counted.value("dropped", kind="predictions", reason="buffer full") == 6
    log.flush()
    assert [r["n"] for r in sink.read("predictions")] == [0, 1, 2, 3]


def test_records_a_failing_sink_could_not_take_are_counted_and_the_log_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink, counted = LogSink(str(tmp_path)), Counted()
    log = buffered(sink, counted)
    original = sink.write

    def unwritable(kind: str, records: list[Record]) -> list[str]:
        raise PermissionError("access denied")

    monkeypatch.setattr(sink, "write", unwritable)
    log.add({"time": now(), "n": 1})
    assert log.flush() == 0
    assert counted.value("dropped", kind="predictions", reason="sink failed") == 1
    monkeypatch.setattr(sink, "write", original)
    log.add({"time": now(), "n": 2})
    assert log.flush() == 1
    assert [r["n"] for r in sink.read("predictions")] == [2]


def test_the_thread_writes_when_half_the_buffer_is_taken_and_on_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink, counted = LogSink(str(tmp_path)), Counted()
    written = threading.Event()
    original = sink.write

    def write(kind: str, records: list[Record]) -> list[str]:
        paths = original(kind, records)
        written.set()
        return paths

    monkeypatch.setattr(sink, "write", write)
    log = buffered(sink, counted, capacity=10, interval=3600)
    log.start()
    for n in range(5):
        log.add({"time": now(), "n": n})
    assert written.wait(10), "half the buffer taken, and nothing written"
    log.add({"time": now(), "n": 5})
    log.close()
    assert sorted(r["n"] for r in sink.read("predictions")) == list(range(6))
