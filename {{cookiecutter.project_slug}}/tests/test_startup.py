"""The command line answers at once: a command imports the heavy libraries only if it uses them."""

import subprocess
import sys

from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.cli import app
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

TRAINING_LIBRARIES = {"pandera", "matplotlib"}
HEAVY_LIBRARIES = TRAINING_LIBRARIES | {"pandas", "sklearn", "scipy"}


def imported_by(
    *arguments: str,
    env: dict[str, str] | None = None,
    module: str = "{{ cookiecutter.package_name }}",
) -> set[str]:
    """The top-level packages that a command line (`python -m module`) imports to run with
    `arguments`."""
    command = ["-X", "importtime", "-m", module, *arguments]
    result = subprocess.run(
        [sys.executable, *command],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip().split(".")[0] for line in lines}


def test_help_imports_no_heavy_library() -> None:
    assert not imported_by("--help") & HEAVY_LIBRARIES
    assert not imported_by("predict", "--help") & HEAVY_LIBRARIES


def test_a_prediction_imports_no_heavy_library(trained: tuple[Settings, TrainingResult]) -> None:
    settings, _ = trained
    env = {"PATH": "", f"{ENV_PREFIX}MODEL_STORE": settings.model_store}
    imported = imported_by("predict", "Where is my parcel?", env=env)
    assert "numpy" in imported  # the check sees the imports of a real prediction
    assert not imported & HEAVY_LIBRARIES


def test_help_shows_no_type_noise() -> None:
    assert "<bool>" not in CliRunner().invoke(app, ["--help"]).output
    for command in ("train", "evaluate", "predict", "versions"):
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0, result.output
        assert "<bool>" not in result.output
