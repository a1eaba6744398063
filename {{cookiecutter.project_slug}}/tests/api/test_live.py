"""The service over real HTTP: uvicorn on loopback, called with httpx."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
from {{ cookiecutter.package_name }}.training import TrainingResult


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def live_url(trained: tuple[Settings, TrainingResult]) -> Iterator[str]:
    settings, _ = trained
    port = free_port()
    environment = os.environ | {
        f"{ENV_PREFIX}MODEL_STORE": settings.model_store,
        f"{ENV_PREFIX}API_KEY": "live-key",
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "{{ cookiecutter.package_name }}.api.app:create_app"], env=environment
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health/ready").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("the service did not become ready within 30 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_prediction_over_http(live_url: str) -> None:
    headers = {"X-API-Key": "live-key"}
    response = httpx.post(
        f"{live_url}/v1/predict", json={"text": "I was charged twice"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["label"] == "billing"
    assert httpx.post(f"{live_url}/v1/predict", json={"text": "x"}).status_code == 401
    assert httpx.get(f"{live_url}/openapi.json").json()["info"]["title"]
