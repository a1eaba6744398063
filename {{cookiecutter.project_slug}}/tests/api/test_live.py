"""The service over real HTTP: uvicorn on loopback, called with httpx."""

import asyncio
import json
import re
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest

from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..support import free_port
from .servers import serving

APP = "{{ cookiecutter.package_name }}.api.app:create_app"
KEY = {"X-API-Key": "live-key"}
WAITING_TEXTS = 64  # the live server's limit, and its batch size


class Live(NamedTuple):
    url: str
    log: Path


@pytest.fixture(scope="module")
def live(
    trained: tuple[Settings, TrainingResult], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """One server for the tests of this module: `uvicorn` as `make serve` runs it."""
    settings, _ = trained
    port = free_port()
    log = tmp_path_factory.mktemp("live") / "server.log"
    command = [sys.executable, "-m", "uvicorn", "--factory", "--port", str(port), APP]
    limits = {"api_max_batch_size": str(WAITING_TEXTS), "api_max_waiting_texts": str(WAITING_TEXTS)}
    with serving(command, port, settings, log=log, api_key=KEY["X-API-Key"], **limits) as url:
        yield Live(url, log)


def test_prediction_over_http(live: Live) -> None:
    body = {"text": "I was charged twice"}
    response = httpx.post(f"{live.url}/v1/predict", json=body, headers=KEY)
    assert response.status_code == 200
    assert response.json()["label"] == "billing"
    assert httpx.post(f"{live.url}/v1/predict", json={"text": "x"}).status_code == 401
    assert httpx.get(f"{live.url}/openapi.json").json()["info"]["title"]


def test_each_request_is_logged_once(live: Live) -> None:
    path = f"/nothing-here-{uuid.uuid4().hex}"
    assert httpx.get(f"{live.url}{path}").status_code == 404
    deadline = time.monotonic() + 5
    while path not in live.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # a second line would follow at once
    assert len([line for line in live.log.read_text().splitlines() if path in line]) == 1


# Run as a process of its own, so that the client's work does not delay the health checks.
BURST = """
import asyncio, json, sys

async def predict(port, body):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"POST /v1/predict HTTP/1.1\\r\\nHost: test\\r\\nX-API-Key: {sys.argv[2]}\\r\\n"
    head += f"Content-Type: application/json\\r\\nContent-Length: {len(body)}\\r\\n\\r\\n"
    writer.write(head.encode() + body)
    status = (await reader.readline()).split()[1].decode()
    while (line := await reader.readline()) != b"\\r\\n":
        status += " retry" if line.lower().startswith(b"retry-after: 1") else ""
    writer.close()
    return status

async def main(port, count):
    body = json.dumps({"text": " ".join(f"parcel{n} refund{n}" for n in range(280))[:5000]})
    print(json.dumps(await asyncio.gather(*(predict(port, body.encode()) for _ in range(count)))))

asyncio.run(main(int(sys.argv[1]), int(sys.argv[3])))
"""


async def probe_latencies(port: int, until: subprocess.Popen[str]) -> list[float]:
    """Ask for liveness and readiness, in turn, every 10 ms on a new connection each time, as
    health checks do, until `until` ends. A latency counts from when its probe was due, so that
    a server that stalls delays every probe due meanwhile, not just the one it holds."""

    async def probe(path: str) -> float:
        due = time.perf_counter()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
        status = await reader.readline()
        writer.close()
        assert status.split()[1] == b"200", status
        return time.perf_counter() - due

    probes = []
    while until.poll() is None:
        for path in ("/health/live", "/health/ready"):
            probes.append(asyncio.create_task(probe(path)))
            await asyncio.sleep(0.01)
    return list(await asyncio.gather(*probes))


def test_health_checks_answer_at_once_while_the_model_is_saturated(live: Live) -> None:
    """Three times more long predictions than may wait: the model is busy for a second or
    two, the excess is refused at once, and health checks do not wait for the model."""
    port = live.url.rsplit(":", 1)[1]
    command = [sys.executable, "-c", BURST, port, KEY["X-API-Key"], str(3 * WAITING_TEXTS)]
    burst = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    latencies = asyncio.run(probe_latencies(int(port), until=burst))
    statuses = json.loads(burst.communicate()[0])
    assert WAITING_TEXTS <= statuses.count("200") < len(statuses)
    assert statuses.count("200") + statuses.count("503 retry") == len(statuses)
    # Most answer in a few milliseconds (the model on the event loop made them wait for whole
    # batches: seconds). The slowest depend on how busy the machine is: benchmarks/api_burst.py
    # in the template measures them.
    assert statistics.median(latencies) < 0.05, sorted(latencies)


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
