"""Typed settings, read from environment variables and `.env`."""

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "{{ cookiecutter.package_name | upper }}_"


class ModelParams(BaseModel):
    """Hyper-parameters of the text classifier."""

    word_ngram_max: int = Field(2, ge=1, le=3, description="Longest word n-gram.")
    char_ngram_max: int = Field(5, ge=2, le=6, description="Longest character n-gram.")
    regularization_c: float = Field(10.0, gt=0, description="Inverse regularisation strength.")


class Settings(BaseSettings):
    """Project settings; each field can be set as the variable ENV_PREFIX + FIELD (or in .env)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_nested_delimiter="__",
        extra="ignore",
    )

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
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    params: ModelParams = Field(default_factory=ModelParams)
