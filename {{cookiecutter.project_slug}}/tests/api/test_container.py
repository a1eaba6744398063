"""What the container relies on: the health probe, and serving without the training tools."""

import json
import subprocess
import sys
from pathlib import Path

from {{ cookiecutter.package_name }}.api.probe import is_ready
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..support import free_port, make_settings
from .servers import serving

APP = ["-m", "uvicorn", "--factory", "{{ cookiecutter.package_name }}.api.app:create_app"]
# The image installs the dependencies and the `api` group only: no pandas, pandera or matplotlib.
WITHOUT_TRAINING_TOOLS = """
import sys

class NotInstalled:  # importing them fails as it does where they are not installed
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {"pandas", "pandera", "matplotlib"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, NotInstalled())
from fastapi.testclient import TestClient
from {{ cookiecutter.package_name }}.api.app import create_app
with TestClient(create_app()) as client:
    print(client.post("/v1/predict", json={"text": sys.argv[1]}).text)
"""


def probe_exit_code(port: int) -> int:
    """Run the probe as the container does, with the port in the environment."""
    command = [sys.executable, "-m", "{{ cookiecutter.package_name }}.api.probe"]
    environment = {f"{ENV_PREFIX}API_PORT": str(port)}
    return subprocess.run(command, env=environment, check=False).returncode


def test_a_service_with_a_model_is_healthy(trained: tuple[Settings, TrainingResult]) -> None:
    settings, _ = trained
    port = free_port()
    with serving([sys.executable, *APP, "--port", str(port)], port, settings):
        assert is_ready(port)
        assert probe_exit_code(port) == 0


def test_a_service_without_a_model_is_unhealthy(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, *APP, "--port", str(port)]
    with serving(command, port, make_settings(tmp_path), up="/health/live"):
        assert not is_ready(port)
        assert probe_exit_code(port) == 1


def test_nothing_listening_is_unhealthy() -> None:
    port = free_port()
    assert not is_ready(port, timeout=1)
    assert probe_exit_code(port) == 1


def test_the_api_serves_without_the_training_tools(
    trained: tuple[Settings, TrainingResult],
) -> None:
    settings, _ = trained
    command = [sys.executable, "-c", WITHOUT_TRAINING_TOOLS, "I was charged twice"]
    environment = {f"{ENV_PREFIX}MODEL_STORE": settings.model_store, "PATH": ""}
    answer = subprocess.run(command, env=environment, capture_output=True, text=True, check=True)
    assert json.loads(answer.stdout)["label"] == "billing"
