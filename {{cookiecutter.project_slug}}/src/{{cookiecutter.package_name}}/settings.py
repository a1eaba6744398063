"""Typed settings, read from environment variables, `.env` and the settings file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    JsonConfigSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

if TYPE_CHECKING:
    from pydantic_settings.sources.types import Traversable

ENV_PREFIX = "{{ cookiecutter.package_name | upper }}_"
# Settings kept with the code (committed), such as tuned hyper-parameters: {"params": {...}}.
SETTINGS_FILE = Path("params.json")


class ModelParams(BaseModel):
    """Hyper-parameters of the text classifier."""

    word_ngram_max: int = Field(2, ge=1, le=3, description="Longest word n-gram.")
    char_ngram_max: int = Field(5, ge=2, le=6, description="Longest character n-gram.")
    regularization_c: float = Field(10.0, gt=0, description="Inverse regularisation strength.")


class SettingsFile(JsonConfigSettingsSource):
    """The settings file, refused with a line that names it unless it holds a JSON object."""

    def _read_file(self, file_path: Path | Traversable) -> dict[str, Any]:
        try:
            values = super()._read_file(file_path)
        except ValueError as error:
            raise ValueError(f"{file_path} is not valid JSON: {error}") from None
        if not isinstance(values, dict):
            raise ValueError(f"{file_path} must hold a JSON object of settings")
        return values


class Settings(BaseSettings):
    """Project settings; each field can be set as the variable ENV_PREFIX + FIELD (or in .env),
    which wins over the settings file (SETTINGS_FILE), which wins over the defaults."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_nested_delimiter="__",
        json_file=SETTINGS_FILE,
        extra="ignore",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, .env, the settings file and secrets, in that order."""
        settings_file = SettingsFile(settings_cls)
        return init_settings, env_settings, dotenv_settings, settings_file, file_secret_settings

    training_data: list[str] = Field(
        default=["data/messages.csv", "data/labelled/*.csv"],
        description="CSV files (glob patterns) of labelled messages used for training.",
    )
    id_column: str | None = Field(
        None,
        description="Column that identifies a row; unset, a row's id is a hash of its text.",
    )
    unlabelled_data: Path = Field(
        Path("data/unlabelled.csv"), description="Pool of messages waiting for a label."
    )
    model_store: str = Field(
        "models", description="Model store: a local folder or an fsspec URL (s3://bucket/prefix)."
    )
    model_version: str = Field("latest", description="Version (or alias) that is served.")
    reports_dir: Path = Field(Path("reports"), description="Where evaluation reports are written.")
    docs_dir: Path = Field(Path("docs"), description="Folder with the model card and datasheet.")
    min_macro_f1: float = Field(
        0.75, ge=0, le=1, description="Quality gate: lowest macro-F1 a model may be promoted with."
    )
    test_size: float = Field(0.2, gt=0, lt=1, description="Share of the data held out for tests.")
    random_seed: int = Field(42, description="Seed for the split and the model.")
{%- if cookiecutter.use_dask %}
    cv_folds: int = Field(
        0,
        ge=0,
        description="Folds of a cross-validated macro-F1 on the training split (0: none), on the"
        " Dask cluster when one is configured.",
    )
{%- endif %}
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
{%- if cookiecutter.use_mlflow %}
    track_experiments: bool = Field(
        True, description="Log each training as an MLflow run and register its model."
    )
{%- endif %}
    params: ModelParams = Field(default_factory=ModelParams)


def settings_problems(error: ValueError) -> list[str]:
    """One line per problem that stopped the settings from loading."""
    if not isinstance(error, ValidationError):
        return [str(error)]
    return [
        f"setting {'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
        for problem in error.errors()
    ]
