"""Starting Dask's worker processes from inside the test suite."""

import subprocess
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# A LocalCluster in a process of its own: it prints its address, then serves until its standard
# input closes.
CLUSTER_PROCESS = """
import sys
from distributed import LocalCluster
from {{ cookiecutter.package_name }}.scale.cluster import LOCAL_ONLY

with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, **LOCAL_ONLY) as cluster:
    print(cluster.scheduler_address, flush=True)
    sys.stdin.read()
"""


@contextmanager
def plain_main() -> Iterator[None]:
    """An empty `__main__` while inside: a spawned worker process first runs the main module of
    its parent, and the tests of another component may have left a script there (a page run as
    `__main__` by an app testing tool)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        yield


@contextmanager
def cluster_process(folder: Path) -> Iterator[str]:
    """The scheduler address of a LocalCluster of two worker processes that runs in a process of
    its own, as an existing cluster does: its logs go to `folder`/cluster.log, never into the
    output of a command under test (a client's disconnection is logged by the scheduler, with a
    traceback, whenever it notices)."""
    with (
        (folder / "cluster.log").open("w") as log,
        subprocess.Popen(
            [sys.executable, "-c", CLUSTER_PROCESS],
            cwd=folder,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        ) as process,
    ):
        assert process.stdin is not None and process.stdout is not None
        address = process.stdout.readline().strip()
        assert address, f"the cluster did not start: {(folder / 'cluster.log').read_text()}"
        try:
            yield address
        finally:
            process.stdin.close()  # the cluster closes, then its process ends
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
