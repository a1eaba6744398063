"""The service over real HTTP: uvicorn on loopback, called with httpx."""

import re
import sys
from collections.abc import Iterator

import httpx
import pytest

from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

from .servers import free_port, serving

APP = "{{ cookiecutter.package_name }}.api.app:create_app"


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
