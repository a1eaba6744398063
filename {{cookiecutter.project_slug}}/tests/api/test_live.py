"""The service over real HTTP: uvicorn on loopback, called with httpx."""

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

APP = "{{ cookiecutter.package_name }}.api.app:create_app"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(command: list[str], port: int, settings: Settings, **variables: str) -> Iterator[str]:
    """Run `command` until the service on `port` is ready; yield its URL."""
    environment = os.environ | {f"{ENV_PREFIX}MODEL_STORE": settings.model_store}
    environment |= {f"{ENV_PREFIX}{name.upper()}": value for name, value in variables.items()}
    server = subprocess.Popen(command, env=environment)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/health/ready").status_code == 200:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("the service did not become ready within 30 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.fixture
def live_url(trained: tuple[Settings, TrainingResult]) -> Iterator[str]:
    settings, _ = trained
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "--port", str(port), APP]
    with serving(command, port, settings, api_key="live-key") as url:
        yield url


def test_prediction_over_http(live_url: str) -> None:
    headers = {"X-API-Key": "live-key"}
    response = httpx.post(
        f"{live_url}/v1/predict", json={"text": "I was charged twice"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["label"] == "billing"
    assert httpx.post(f"{live_url}/v1/predict", json={"text": "x"}).status_code == 401
    assert httpx.get(f"{live_url}/openapi.json").json()["info"]["title"]


def test_production_server_adds_up_the_metrics_of_its_workers(
    trained: tuple[Settings, TrainingResult],
) -> None:
    settings, _ = trained
    port = free_port()
    command = [sys.executable, "-m", "{{ cookiecutter.package_name }}.api.serve"]
    with serving(command, port, settings, api_port=str(port), api_workers="2") as url:
        # A new connection for every request, so that both workers answer some of them.
        for _ in range(30):
            assert httpx.post(f"{url}/v1/predict", json={"text": "I was charged twice"}).is_success
        counts = [httpx.get(f"{url}/metrics").text for _ in range(6)]
    totals = {re.search(r'predictions_total\{label="billing"\} (\S+)', text) for text in counts}
    assert {float(match.group(1)) for match in totals if match} == {30.0}
