"""Promotion moves two aliases: the store's "latest", which serving reads, then MLflow's
"champion". Should the second write fail (a server down, the process stopped), the store is
right and `make mlflow-sync` points the champion at the store's latest again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..store import LATEST, ModelMetadata, ModelNotFoundError, ModelStore
from .tracking import CHAMPION, REGISTERED_MODEL, TrackingError, reported_as, use_project_experiment

SYNC_COMMAND = "make mlflow-sync"


@dataclass(frozen=True)
class Aliases:
    """The registry version of the store's latest, and the one MLflow's champion points at."""

    latest: str | None
    champion: str | None

    @property
    def agree(self) -> bool:
        return self.latest == self.champion


def _registered(metadata: ModelMetadata) -> str:
    if metadata.mlflow_model_version is None:
        raise TrackingError(
            f"version {metadata.version} is not in MLflow's registry yet: run make mlflow-backfill"
        )
    return metadata.mlflow_model_version


def set_champion(metadata: ModelMetadata) -> None:
    """Point MLflow's champion alias at the registered version of a store version."""
    from mlflow import MlflowClient

    version = _registered(metadata)
    with reported_as(f"Moving the {CHAMPION} alias to version {version}"):
        use_project_experiment()
        MlflowClient().set_registered_model_alias(REGISTERED_MODEL, CHAMPION, version)


def follow_the_store(
    metadata: ModelMetadata, move: Callable[[ModelMetadata], None] | None = None
) -> None:
    """Move MLflow's champion (here, or by `move`: a training's MLflow process) to the version
    the store has just promoted to latest; should that fail, the error says that serving already
    uses the version and how to catch up."""
    try:
        (move or set_champion)(metadata)
    except TrackingError as error:
        raise TrackingError(
            f"{error}; the store's {LATEST} is {metadata.version}, but MLflow's {CHAMPION} was"
            f" not moved: run {SYNC_COMMAND} once MLflow is reachable"
        ) from error


def aliases(store: ModelStore) -> Aliases:
    """Where the store's latest and MLflow's champion point, as registry versions."""
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    try:
        latest = store.metadata(LATEST).mlflow_model_version
    except ModelNotFoundError:
        latest = None
    with reported_as(f"Reading the {CHAMPION} alias"):
        use_project_experiment()
        try:
            model = MlflowClient().get_registered_model(REGISTERED_MODEL)
        except MlflowException as error:
            if error.error_code != "RESOURCE_DOES_NOT_EXIST":
                raise
            return Aliases(latest, None)
    champion = model.aliases.get(CHAMPION)
    return Aliases(latest, None if champion is None else str(champion))


def sync(store: ModelStore) -> Aliases:
    """Point MLflow's champion at the store's latest (the store is the one source serving
    reads); returns the aliases as they were before."""
    before = aliases(store)
    if not before.agree and store.versions():
        set_champion(store.metadata(LATEST))
    return before
