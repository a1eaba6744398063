"""Where scored parts go: a temporary folder next to the output, which becomes the output only
once every part is written, so that a failed or interrupted run leaves nothing half-written."""

from __future__ import annotations

import uuid
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from .inputs import full_url

FORMATS = ("parquet", "csv")
# In the temporary folder while the run goes on: a task whose run has stopped (a failure elsewhere,
# Ctrl-C) finds it gone and writes nothing. Dataset readers skip names starting with "_".
RUNNING = "_RUNNING"


class OutputError(ValueError):
    """The output cannot be written: one line that says why."""


class Output:
    """The output folder of a run and its temporary twin (`staging`), where workers write."""

    def __init__(self, url: str, overwrite: bool) -> None:
        self.fs: Any
        self.fs, self.path = fsspec.core.url_to_fs(url)
        self.path = self.path.rstrip("/")
        if self.fs.exists(self.path) and not overwrite:
            raise OutputError(f"{url} exists already: give OVERWRITE=1 (--overwrite) to replace it")
        parent, _, name = self.path.rpartition("/")
        self._sibling = f"{parent}/.{name}" if parent else f".{name}"
        self._staging = f"{self._sibling}.partial-{uuid.uuid4().hex[:8]}"
        self.staging = full_url(self.fs, self._staging)

    def start(self) -> None:
        """Create the temporary folder, marked as running."""
        self.fs.makedirs(self._staging, exist_ok=True)
        self.fs.pipe_file(f"{self._staging}/{RUNNING}", b"")

    def commit(self) -> None:
        """Put the temporary folder in the output's place, replacing an older output: a rename
        on a local disk; on object stores, which cannot rename, a copy of each file."""
        self.fs.rm(f"{self._staging}/{RUNNING}")
        if isinstance(self.fs, LocalFileSystem):
            replaced = None
            if self.fs.exists(self.path):
                replaced = f"{self._sibling}.replaced-{uuid.uuid4().hex[:8]}"
                self.fs.mv(self.path, replaced, recursive=True)
            self.fs.mv(self._staging, self.path, recursive=True)
            if replaced is not None:
                self.fs.rm(replaced, recursive=True)
            return
        if self.fs.exists(self.path):
            self.fs.rm(self.path, recursive=True)
        for name in self.fs.find(self._staging):
            self.fs.mv(name, self.path + name[len(self._staging) :])
        self.discard()

    def discard(self) -> None:
        """Stop the tasks still running from writing, then remove the temporary folder and
        whatever was written in it."""
        if self.fs.exists(f"{self._staging}/{RUNNING}"):
            self.fs.rm(f"{self._staging}/{RUNNING}")
        if self.fs.exists(self._staging):
            self.fs.rm(self._staging, recursive=True)
