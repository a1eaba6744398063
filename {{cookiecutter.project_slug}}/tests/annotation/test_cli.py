"""The loop's commands fail with one clear line when something is missing (the whole loop runs
against a real Label Studio in the template's tests)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.annotation.cli import app
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..support import free_port


@pytest.fixture
def nobody_listening(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setenv(f"{ENV_PREFIX}ANNOTATION_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv(f"{ENV_PREFIX}ANNOTATION_TOKEN", "0" * 40)


def test_without_a_token_the_loop_says_to_run_make_annotate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nobody_listening: None
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv(f"{ENV_PREFIX}ANNOTATION_TOKEN")
    result = CliRunner().invoke(app, ["pull"])
    assert result.exit_code == 1
    assert "no Label Studio API token: run `make annotate` once" in result.output


def test_push_without_a_model_says_to_train(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nobody_listening: None
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", str(tmp_path / "empty"))
    result = CliRunner().invoke(app, ["push"])
    assert result.exit_code == 1
    assert "run `make train`" in result.output


@pytest.mark.parametrize("command", ["push", "pull"])
def test_commands_say_to_start_label_studio_when_it_is_down(
    command: str,
    trained: tuple[Settings, TrainingResult],
    monkeypatch: pytest.MonkeyPatch,
    nobody_listening: None,
) -> None:
    settings, _ = trained
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", settings.model_store)
    monkeypatch.setenv(f"{ENV_PREFIX}TRAINING_DATA", json.dumps(settings.training_data))
    monkeypatch.setenv(f"{ENV_PREFIX}UNLABELLED_DATA", str(settings.unlabelled_data))
    result = CliRunner().invoke(app, [command])
    assert result.exit_code == 1
    assert "start it with `make annotate`" in result.output
