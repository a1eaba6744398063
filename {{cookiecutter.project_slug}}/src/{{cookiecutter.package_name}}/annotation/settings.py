"""Settings of the labelling loop, read like the project settings (environment and `.env`)."""

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..settings import ENV_PREFIX


class AnnotationSettings(BaseSettings):
    """Every field can be set as the variable ENV_PREFIX + "ANNOTATION_" + FIELD."""

    model_config = SettingsConfigDict(
        env_prefix=f"{ENV_PREFIX}ANNOTATION_", env_file=".env", extra="ignore"
    )

    url: str = Field("http://127.0.0.1:8080", description="The Label Studio server.")
    token: SecretStr | None = Field(
        None,
        description="API token: `make annotate` creates one in .env, the local server takes it."
        " Set your own for a shared server.",
    )
    username: str = Field("annotator@example.com", description="The local server's first user.")
    password: SecretStr | None = Field(
        None, description="That user's password: `make annotate` creates one in .env."
    )
    project: str = Field(
        {{ cookiecutter.project_name | python_string(indent=8) }},
        description="Label Studio project title.",
    )
    labelled_file: Path = Field(
        Path("data/labelled/annotations.csv"), description="Where pulled annotations are merged."
    )
