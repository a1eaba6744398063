"""Settings of the HTTP service, read like the project settings (environment and `.env`)."""

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..settings import ENV_PREFIX


class ApiSettings(BaseSettings):
    """Every field can be set as the variable ENV_PREFIX + "API_" + FIELD."""

    model_config = SettingsConfigDict(
        env_prefix=f"{ENV_PREFIX}API_", env_file=".env", extra="ignore"
    )

    host: str = Field("127.0.0.1", description="Address the production server listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port the production server listens on.")
    workers: int = Field(2, ge=1, description="Worker processes of the production server.")
    key: SecretStr | None = Field(None, description="Require this X-API-Key header when set.")
    cors_origins: list[str] = Field(default=[], description="Origins allowed to call the API.")
    max_batch_size: int = Field(256, ge=1, description="Most texts in one batch request.")
    max_body_bytes: int = Field(1_000_000, ge=1_000, description="Largest request body accepted.")
    reload_interval_seconds: float = Field(
        10.0, ge=0, description="How often to look for a new model version (0: never)."
    )
