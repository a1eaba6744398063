import copy
import shutil
from typing import NamedTuple

import pytest

from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.store import LATEST, ModelStore, StoredModel
from {{ cookiecutter.package_name }}.training import (
    TEST_IDS_FILE,
    TRAIN_IDS_FILE,
    TrainingResult,
)


@pytest.fixture(scope="session")
def model(trained: tuple[Settings, TrainingResult]) -> StoredModel:
    """The trained model, as the service serves it."""
    return ModelStore(trained[0].model_store).load(LATEST)


class Contenders(NamedTuple):
    """A store that holds the champion (served as latest) and a challenger."""

    settings: Settings
    champion: StoredModel
    challenger: StoredModel


@pytest.fixture(scope="session")
def contenders(
    trained: tuple[Settings, TrainingResult], tmp_path_factory: pytest.TempPathFactory
) -> Contenders:
    """A copy of the trained store with a second version: the same model with its labels in
    reverse order, wrong where the champion is right."""
    settings = trained[0]
    root = tmp_path_factory.mktemp("contenders") / "models"
    shutil.copytree(settings.model_store, root)
    store = ModelStore(str(root))
    champion = store.load(LATEST)
    pipeline = copy.deepcopy(champion.pipeline)
    pipeline[-1].classes_ = pipeline[-1].classes_[::-1]
    version = champion.metadata.version + "-reversed"
    split = (TRAIN_IDS_FILE, TEST_IDS_FILE)
    artifacts = {name: store.artifact(champion.metadata.version, name) for name in split}
    store.save(pipeline, champion.metadata.model_copy(update={"version": version}), artifacts)
    moved = settings.model_copy(update={"model_store": str(root)})
    return Contenders(moved, champion, store.load(version))
