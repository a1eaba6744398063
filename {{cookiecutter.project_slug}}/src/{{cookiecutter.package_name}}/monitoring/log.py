"""A bounded buffer of records, written to the sink by a thread of its own: adding a record
never waits for the sink, and when the buffer is full the record is dropped and counted."""

from __future__ import annotations

import logging
import threading
from collections import deque

from prometheus_client import Counter

from .sink import LogSink, Record

logger = logging.getLogger(__name__)


class BufferedLog:
    """Records of one kind (`predictions`, `feedback`) on their way to the sink."""

    def __init__(
        self,
        sink: LogSink,
        kind: str,
        capacity: int,
        interval_seconds: float,
        written: Counter,
        dropped: Counter,
    ) -> None:
        self.sink, self.kind, self.capacity = sink, kind, capacity
        self.interval_seconds = interval_seconds
        self._written = written.labels(kind)
        self._dropped_full = dropped.labels(kind, "buffer full")
        self._dropped_unwritable = dropped.labels(kind, "sink failed")
        self._records: deque[Record] = deque()
        self._soon = threading.Event()  # set when half the buffer is taken
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{kind}-log", daemon=True)

    def add(self, record: Record) -> None:
        """Keep `record` for the next write, or drop it when the buffer is full."""
        if len(self._records) >= self.capacity:
            self._dropped_full.inc()
            return
        self._records.append(record)
        if len(self._records) * 2 >= self.capacity:
            self._soon.set()

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        """Write what is waiting, then stop the thread."""
        self._stopping.set()
        self._soon.set()
        if self._thread.is_alive():
            self._thread.join()
        self.flush()

    def flush(self) -> int:
        """Write every waiting record; the number written (0 when the sink failed: the records
        are counted as dropped, and the service log says why)."""
        records = []
        while self._records:
            records.append(self._records.popleft())
        if not records:
            return 0
        try:
            self.sink.write(self.kind, records)
        except Exception:
            logger.exception("Could not write %d %s to the log", len(records), self.kind)
            self._dropped_unwritable.inc(len(records))
            return 0
        self._written.inc(len(records))
        return len(records)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._soon.wait(self.interval_seconds)
            self._soon.clear()
            self.flush()
