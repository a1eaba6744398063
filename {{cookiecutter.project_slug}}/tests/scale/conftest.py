"""One Dask cluster of two worker processes for the module's tests, as `make batch-predict`
starts it, and a working directory whose settings point at the trained model."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

from .processes import cluster_process


@pytest.fixture(scope="session")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a LocalCluster of two worker processes, shared by the tests, in a process of
    its own."""
    with cluster_process(tmp_path_factory.mktemp("cluster")) as address:
        yield address


@pytest.fixture
def workspace(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    trained: tuple[Settings, TrainingResult],
    scheduler: str,
) -> Path:
    """A working directory whose settings (from the environment) name the trained model's store
    and the shared cluster."""
    settings, _ = trained
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", settings.model_store)
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", scheduler)
    return tmp_path
