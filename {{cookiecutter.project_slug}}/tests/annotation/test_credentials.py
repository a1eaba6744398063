"""Label Studio's password and token: random per project, in a `.env` only its owner can read,
created once, never overwriting a line; the server gets them by environment."""

import re
import stat
from pathlib import Path

import pytest
from dotenv import dotenv_values
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.annotation.cli import app
from {{ cookiecutter.package_name }}.annotation.credentials import (
    PASSWORD,
    TOKEN,
    ensure_credentials,
)
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX


@pytest.fixture(autouse=True)
def nothing_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials in the environment of the test run."""
    for name in (PASSWORD, TOKEN, f"{ENV_PREFIX}ANNOTATION_USERNAME"):
        monkeypatch.delenv(name, raising=False)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_first_time_a_random_password_and_token_are_created_for_the_owner_only(
    tmp_path: Path,
) -> None:
    env_file = tmp_path / ".env"
    credentials = ensure_credentials(env_file)
    assert credentials.created == (PASSWORD, TOKEN)
    assert mode(env_file) == 0o600
    written = dotenv_values(env_file)
    assert written[PASSWORD] == credentials.password.get_secret_value()
    assert written[TOKEN] == credentials.token.get_secret_value()
    assert len(written[PASSWORD] or "") >= 32
    assert re.fullmatch("[0-9a-f]{40}", written[TOKEN] or "")

    other = ensure_credentials(tmp_path / "other.env")
    assert other.password != credentials.password
    assert other.token != credentials.token


def test_an_existing_file_keeps_its_lines_and_values_and_is_made_private(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    mine = f"{ENV_PREFIX}LOG_LEVEL=DEBUG\n{TOKEN}=my-shared-server-token"  # no final newline
    env_file.write_text(mine, encoding="utf-8")
    env_file.chmod(0o644)
    credentials = ensure_credentials(env_file)
    assert credentials.created == (PASSWORD,)
    assert credentials.token.get_secret_value() == "my-shared-server-token"
    text = env_file.read_text(encoding="utf-8")
    assert text.startswith(mine + "\n")
    assert dotenv_values(env_file)[PASSWORD] == credentials.password.get_secret_value()
    assert mode(env_file) == 0o600

    again = ensure_credentials(env_file)
    assert again.created == ()
    assert env_file.read_text(encoding="utf-8") == text


def test_values_from_the_environment_are_used_and_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD, "from-the-environment")
    monkeypatch.setenv(TOKEN, "f" * 40)
    credentials = ensure_credentials(tmp_path / ".env")
    assert credentials.created == ()
    assert not (tmp_path / ".env").exists()
    assert credentials.label_studio_environment() == {
        "LABEL_STUDIO_USERNAME": "annotator@example.com",
        "LABEL_STUDIO_PASSWORD": "from-the-environment",
        "LABEL_STUDIO_USER_TOKEN": "f" * 40,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    }


def test_the_command_says_what_it_created_and_warns_about_an_older_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".label-studio").mkdir()
    (tmp_path / ".label-studio" / "label_studio.sqlite3").write_bytes(b"")
    created = CliRunner().invoke(app, ["credentials"])
    assert created.exit_code == 0
    assert f"Created {PASSWORD} and {TOKEN} in .env" in created.output
    assert "has a user already" in created.output
    again = CliRunner().invoke(app, ["credentials"])
    assert "are set already" in again.output
