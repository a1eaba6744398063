"""Settings of the demo, read like the project settings (environment and `.env`)."""

from pydantic import Field
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
{%- endif %}
    max_upload_bytes: int = Field(2_000_000, ge=1, description="Largest CSV file accepted.")
    max_upload_rows: int = Field(5_000, ge=1, description="Most messages in one uploaded file.")
