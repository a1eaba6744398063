import pytest
from pydantic import ValidationError

from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings


def test_defaults_point_at_the_bundled_data() -> None:
    settings = Settings(_env_file=None)
    assert settings.training_data[0] == "data/messages.csv"
    assert settings.model_store == "models"
    assert settings.model_version == "latest"


def test_environment_overrides_fields_and_nested_params(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", "s3://bucket/models")
    monkeypatch.setenv(f"{ENV_PREFIX}TRAINING_DATA", '["a.csv", "more/*.csv"]')
    monkeypatch.setenv(f"{ENV_PREFIX}PARAMS__REGULARIZATION_C", "2.5")
    settings = Settings(_env_file=None)
    assert settings.model_store == "s3://bucket/models"
    assert settings.training_data == ["a.csv", "more/*.csv"]
    assert settings.params.regularization_c == 2.5


def test_invalid_values_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}MIN_MACRO_F1", "1.5")
    with pytest.raises(ValidationError, match="min_macro_f1"):
        Settings(_env_file=None)
