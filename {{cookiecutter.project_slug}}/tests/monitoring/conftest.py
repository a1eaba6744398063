import pytest

from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.store import LATEST, ModelStore, StoredModel
from {{ cookiecutter.package_name }}.training import TrainingResult


@pytest.fixture(scope="session")
def model(trained: tuple[Settings, TrainingResult]) -> StoredModel:
    """The trained model, as the service serves it."""
    return ModelStore(trained[0].model_store).load(LATEST)
