"""Settings of the demo, read like the project settings (environment and `.env`)."""

from pathlib import Path

from pydantic import Field{% if cookiecutter.use_api %}, SecretStr{% endif %}
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..settings import ENV_PREFIX


class DemoSettings(BaseSettings):
    """Every field can be set as the variable ENV_PREFIX + "DEMO_" + FIELD."""

    model_config = SettingsConfigDict(
        env_prefix=f"{ENV_PREFIX}DEMO_", env_file=".env", extra="ignore"
    )
{% if cookiecutter.use_api %}
    api_url: str | None = Field(
        None, description="Route through this running API (http://...) instead of in-process."
    )
    api_key: SecretStr | None = Field(
        None, description="The API's key (its API_KEY), sent as X-API-Key when routing through it."
    )
{%- endif %}
{%- if cookiecutter.use_mlflow %}
    tracking_url: str | None = Field(
        None, description="The MLflow UI's address (http://...): the Model page links to runs."
    )
{%- endif %}
    examples: Path = Field(
        Path("data/examples.csv"),
        description="CSV file (a `text` column) of the messages the Predict page offers.",
    )
    max_upload_bytes: int = Field(2_000_000, ge=1, description="Largest CSV file accepted.")
    max_upload_rows: int = Field(5_000, ge=1, description="Most messages in one uploaded file.")
