import json

import pytest
from pydantic import ValidationError

from {{ cookiecutter.package_name }}.settings import (
    ENV_PREFIX,
    SETTINGS_FILE,
    ModelParams,
    Settings,
)


def test_defaults_point_at_the_bundled_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(f"{ENV_PREFIX}MODEL_STORE")  # the tests' own store (tests/isolation.py)
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


def test_the_settings_file_sets_fields_below_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    SETTINGS_FILE.write_text(
        json.dumps({"params": {"word_ngram_max": 3, "regularization_c": 2.5}, "test_size": 0.3}),
        encoding="utf-8",
    )
    monkeypatch.setenv(f"{ENV_PREFIX}PARAMS__REGULARIZATION_C", "7")
    settings = Settings(_env_file=None)
    assert settings.params == ModelParams(word_ngram_max=3, char_ngram_max=5, regularization_c=7)
    assert settings.test_size == 0.3
