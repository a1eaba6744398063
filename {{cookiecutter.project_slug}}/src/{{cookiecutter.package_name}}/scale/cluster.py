"""The Dask client of the configured place, and the cluster started for it torn down after use."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .settings import ScaleSettings

if TYPE_CHECKING:
    from distributed import Client
    from distributed.deploy.cluster import Cluster


# No dashboard, and the scheduler's HTTP endpoints on a free loopback port, not on 8787 of every
# interface (taken by the second cluster of the machine).
LOCAL_ONLY: dict[str, Any] = {
    "dashboard_address": None,
    "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"},
}


def local_workers(settings: ScaleSettings) -> int:
    """The configured number of workers, or one per CPU that this process may use."""
    if settings.workers:
        return settings.workers
    if hasattr(os, "sched_getaffinity"):  # Linux; macOS and Windows have no CPU affinity
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def start_method() -> str:
    """How local workers start: forked from a server process that has imported Dask, NumPy and
    pandas once (a second less than spawned workers, which each import them again), where the
    platform offers it (not on Windows)."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def start_cluster(settings: ScaleSettings) -> Cluster:
    """A new cluster of the configured kind (DASK_CLUSTER)."""
{%- if cookiecutter.use_terraform and cookiecutter.use_docker %}
    if settings.cluster == "fargate":
        from .fargate import FARGATE_WORKERS, fargate_cluster

        return fargate_cluster(
            settings.terraform_outputs,
            settings.workers or FARGATE_WORKERS,
            private_ip=settings.fargate_private_ip,
        )
{%- endif %}
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.multiprocessing-method": start_method()}):
        return LocalCluster(
            n_workers=local_workers(settings),
            threads_per_worker=settings.threads_per_worker,
            memory_limit=settings.worker_memory,
            processes=True,
            **LOCAL_ONLY,
        )


@contextmanager
def connect(settings: ScaleSettings) -> Iterator[Client]:
    """A client of the configured scheduler: an existing one (DASK_SCHEDULER_ADDRESS), else one
    of a cluster started here and closed on the way out, on success, error or Ctrl-C alike."""
    from distributed import Client

    if settings.scheduler_address is not None:
        with Client(settings.scheduler_address) as client:
            yield client
        return
    cluster = start_cluster(settings)
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()
