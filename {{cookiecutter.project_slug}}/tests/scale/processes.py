"""Starting Dask's worker processes from inside the test suite."""

import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def plain_main() -> Iterator[None]:
    """An empty `__main__` while inside: a spawned worker process first runs the main module of
    its parent, and the tests of another component may have left a script there (a page run as
    `__main__` by an app testing tool)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        yield
