"""Settings of the HTTP service, read like the project settings (environment and `.env`)."""

from typing import Self

from pydantic import Field, SecretStr, model_validator
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
    max_waiting_texts: int = Field(
        512,
        ge=1,
        description="Most texts waiting for the model in one worker; past it, 503 and Retry-After.",
    )
    max_body_bytes: int = Field(1_000_000, ge=1_000, description="Largest request body accepted.")
    reload_interval_seconds: float = Field(
        10.0, ge=0, description="How often to look for a new model version (0: never)."
    )

    @model_validator(mode="after")
    def _a_full_batch_can_wait(self) -> Self:
        if self.max_waiting_texts < self.max_batch_size:
            raise ValueError(
                f"max_waiting_texts ({self.max_waiting_texts}) must be at least"
                f" max_batch_size ({self.max_batch_size}), or a full batch could never be admitted"
            )
        return self
