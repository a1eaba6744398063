"""The embedded cluster: sized to the machine, and closed whatever happens inside, Ctrl-C too."""

import os

import pytest
from distributed.core import Status

from {{ cookiecutter.package_name }}.scale.cluster import connect, local_workers
from {{ cookiecutter.package_name }}.scale.settings import ScaleSettings

from .processes import plain_main


def test_the_local_cluster_has_a_worker_per_cpu_unless_told() -> None:
    assert local_workers(ScaleSettings(_env_file=None)) == len(os.sched_getaffinity(0))
    assert local_workers(ScaleSettings(_env_file=None, workers=3)) == 3


def test_without_cpu_affinity_the_local_cluster_has_a_worker_per_cpu(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # as on macOS and Windows
    assert local_workers(ScaleSettings(_env_file=None)) == (os.cpu_count() or 1)


# Ctrl-C raises KeyboardInterrupt in the main thread, which is no Exception.
@pytest.mark.parametrize("stop", [RuntimeError, KeyboardInterrupt])
def test_the_embedded_cluster_runs_worker_processes_and_is_closed_after_an_error_or_ctrl_c(
    stop: type[BaseException],
) -> None:
    with (
        pytest.raises(stop, match="stop"),
        plain_main(),
        connect(ScaleSettings(_env_file=None, workers=1)) as client,
    ):
        cluster = client.cluster
        (pid,) = client.run(os.getpid).values()
        assert pid != os.getpid()
        raise stop("stop")
    assert cluster is not None
    assert cluster.status == Status.closed
