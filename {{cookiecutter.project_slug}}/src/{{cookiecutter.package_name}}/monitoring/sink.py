"""The log's files: gzipped JSON lines, one folder per kind and day (`predictions/day=2026-12-03/
part-….jsonl.gz`), which pandas, DuckDB, Spark and Athena read as they are.

Every file appears whole: in a folder it is written under a hidden name, then renamed; on object
stores (S3) a single upload is atomic already. A crash leaves at most a hidden file, which
readers skip.
"""

from __future__ import annotations

import gzip
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

Record = dict[str, Any]
TIME_FIELD = "time"
SUFFIX = ".jsonl.gz"
# One encoder for every line (json.dumps with options builds one per call), and the fastest
# compression, a little larger: the API's workers write these while they serve.
ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
COMPRESSION_LEVEL = 1


def now() -> str:
    """The time of a record: UTC, ISO 8601."""
    return datetime.now(UTC).isoformat()


class LogSink:
    """Writes records to, and reads them back from, a folder or an fsspec URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.fs, self.root = fsspec.core.url_to_fs(url)
        self.is_local = isinstance(self.fs, LocalFileSystem)

    def write(self, kind: str, records: Iterable[Record]) -> list[str]:
        """Write `records` (each with a `time`) to one new file per day they fall on; the paths."""
        by_day: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            by_day[record[TIME_FIELD][:10]].append(record)
        return [self._write_file(kind, day, part) for day, part in sorted(by_day.items())]

    def _write_file(self, kind: str, day: str, records: list[Record]) -> str:
        folder = f"{self.root}/{kind}/day={day}"
        name = f"part-{datetime.now(UTC):%H%M%S%f}-{uuid.uuid4().hex[:12]}{SUFFIX}"
        lines = "\n".join(map(ENCODER.encode, records)) + "\n"
        content = gzip.compress(lines.encode("utf-8"), compresslevel=COMPRESSION_LEVEL)
        if not self.is_local:
            self.fs.pipe_file(f"{folder}/{name}", content)
            return f"{folder}/{name}"
        self.fs.makedirs(folder, exist_ok=True)
        self.fs.pipe_file(f"{folder}/.{name}", content)
        self.fs.mv(f"{folder}/.{name}", f"{folder}/{name}")
        return f"{folder}/{name}"

    def read(
        self, kind: str, since: date | None = None, until: date | None = None
    ) -> Iterator[Record]:
        """The records of `kind` written for the days from `since` to `until` (both included),
        day by day, in the order written (a file's name starts with its time, to the
        microsecond)."""
        for path in sorted(self.fs.glob(f"{self.root}/{kind}/day=*/part-*{SUFFIX}")):
            day = date.fromisoformat(path.rsplit("/day=", 1)[1][:10])
            if (since is None or day >= since) and (until is None or day <= until):
                with self.fs.open(path, "rb") as stream:
                    for line in gzip.decompress(stream.read()).splitlines():
                        yield json.loads(line)
