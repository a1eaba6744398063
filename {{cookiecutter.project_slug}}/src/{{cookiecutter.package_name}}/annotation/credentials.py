"""The local Label Studio's password and API token: random for each project, created in `.env`
the first time they are needed (readable by its owner only), and given to Label Studio by
environment, never on a command line, where every user of the machine could read them.

The token is one of Label Studio's legacy API tokens: the only kind it lets us choose before it
starts. Its newer personal access tokens are made by a logged-in user in its web pages.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from ..settings import ENV_PREFIX
from .settings import AnnotationSettings

ENV_FILE = Path(".env")
DATA_DIR = Path(".label-studio")
PASSWORD = f"{ENV_PREFIX}ANNOTATION_PASSWORD"
TOKEN = f"{ENV_PREFIX}ANNOTATION_TOKEN"


@dataclass(frozen=True)
class Credentials:
    """Label Studio's first user and its API token."""

    username: str
    password: SecretStr
    token: SecretStr
    created: tuple[str, ...] = ()

    def label_studio_environment(self) -> dict[str, str]:
        """The variables from which `label-studio start` creates that user and token; others can
        join only through an invitation link of that user's organisation, not sign up."""
        return {
            "LABEL_STUDIO_USERNAME": self.username,
            "LABEL_STUDIO_PASSWORD": self.password.get_secret_value(),
            "LABEL_STUDIO_USER_TOKEN": self.token.get_secret_value(),
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        }


def _append(env_file: Path, values: dict[str, str]) -> None:
    """Add `values` to `env_file` (created if need be), which only its owner may read."""
    if env_file.exists():
        env_file.chmod(0o600)  # before the secrets are in it
        text = env_file.read_text(encoding="utf-8")
        separator = "\n" if text and not text.endswith("\n") else ""
    else:
        separator = ""
    lines = "".join(f"{name}={value}\n" for name, value in values.items())
    note = "# Label Studio's password and API token for `make annotate`: random, keep them secret\n"
    descriptor = os.open(env_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as stream:
        stream.write(separator + note + lines)


def ensure_credentials(env_file: Path = ENV_FILE) -> Credentials:
    """The user, password and token of the settings, after creating in `env_file` a random
    password and token for those set nowhere (environment or `.env`). Nothing already in the
    file changes."""
    settings = AnnotationSettings(_env_file=env_file)
    missing: dict[str, str] = {}
    if settings.password is None:
        missing[PASSWORD] = secrets.token_urlsafe(24)
    if settings.token is None:
        missing[TOKEN] = secrets.token_hex(20)  # 40 hexadecimal digits, like Label Studio's own
    if missing:
        _append(env_file, missing)
    return Credentials(
        settings.username,
        SecretStr(missing[PASSWORD]) if settings.password is None else settings.password,
        SecretStr(missing[TOKEN]) if settings.token is None else settings.token,
        created=tuple(missing),
    )
