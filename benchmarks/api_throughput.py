"""Benchmark: /v1/predict throughput and latency next to a bare FastAPI endpoint, in one run.

Bakes the project, trains, then serves on loopback, with the same number of uvicorn workers (2 by
default, as `make serve-prod` and the container do): the real service; a FastAPI app whose
endpoint returns a constant, the framework's own ceiling; and the service with a constant
prediction instead of the model, which splits the gap into framework and model; and the service
without its prediction log (the monitoring component), which shows what logging costs. The same
client (N threads with keep-alive connections, on the same machine) drives them in turn, for several
rounds, so that a slower or busier moment of the machine weighs on all alike; rates and
percentiles are over all rounds, and the spread of the per-round ratios is printed too.

Usage: uv run python benchmarks/api_throughput.py [--users 16] [--seconds 5] [--rounds 4]
       [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
CEILING_APP = """
from fastapi import FastAPI

app = FastAPI()


@app.post("/v1/predict")
async def predict() -> dict[str, str]:
    return {"label": "shipping"}
"""
# The service with every layer but the model: each text gets the same prediction, which shows
# how much of the gap to the ceiling is the framework path and how much the model.
WITHOUT_MODEL_APP = """
from {package}.api import batching
from {package}.prediction import Prediction

FIXED = Prediction("shipping", 1.0, {{"shipping": 1.0}})
batching.predict = lambda model, texts: [FIXED for _ in texts]

from {package}.api.app import create_app  # noqa: E402
"""
# The service without the prediction log: what monitoring does on the request path (a signed id,
# the record, the buffer) skipped, which shows what logging costs (the target: within 10 %).
WITHOUT_LOG_APP = """
from {package}.monitoring.monitor import Monitor

Monitor.served = lambda self, version, texts, predictions: ["-"] * len(texts)

from {package}.api.app import create_app  # noqa: E402
"""
MESSAGE = json.dumps({"text": "My parcel never arrived, where is it?"}).encode()
BATCH = json.dumps({"texts": ["I was charged twice for one order, please refund"] * 256}).encode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(project: Path, app: str, workers: int, *extra: str) -> Iterator[int]:
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    command = ["uv", "run", "uvicorn", app, "--port", str(port), "--no-access-log"]
    command += ["--workers", str(workers), *extra]
    server = subprocess.Popen(command, cwd=project, env=environment, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180  # a busy machine can take a minute to start one
        while True:
            try:
                post(port, "/v1/predict", MESSAGE)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{app} did not answer within 180 s") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def post(
    port: int, path: str, body: bytes, connection: http.client.HTTPConnection | None = None
) -> float:
    own = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    started = time.perf_counter()
    own.request("POST", path, body, {"Content-Type": "application/json"})
    response = own.getresponse()
    response.read()
    if response.status != 200:
        raise OSError(f"{path} answered {response.status}")
    return time.perf_counter() - started


def load(port: int, users: int, seconds: float) -> tuple[float, list[float]]:
    """Requests per second and every latency, with `users` concurrent keep-alive clients."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < stop:
            mine.append(post(port, "/v1/predict", MESSAGE, connection))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=user) for _ in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1] * 1000


def report(name: str, rate: float, latencies: list[float]) -> None:
    print(
        f"{name}: {rate:.0f} req/s, p50 {percentile(latencies, 0.5):.1f} ms,"
        f" p95 {percentile(latencies, 0.95):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5, help="per round and server")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    titles = {
        "ceiling": "bare FastAPI ceiling",
        "service": "/v1/predict",
        "no model": "no model",
        "no log": "without the prediction log",
    }
    runs: dict[str, list[tuple[float, list[float]]]] = {name: [] for name in titles}
    with tempfile.TemporaryDirectory() as scratch, ExitStack() as servers:
        project = Path(cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=scratch))
        subprocess.run(["make", "train"], cwd=project, check=True, capture_output=True)
        package = project.name.replace("-", "_")
        (project / "ceiling.py").write_text(CEILING_APP, encoding="utf-8")
        (project / "no_model.py").write_text(WITHOUT_MODEL_APP.format(package=package), "utf-8")
        (project / "no_log.py").write_text(WITHOUT_LOG_APP.format(package=package), "utf-8")
        apps = {
            "ceiling": ("ceiling:app",),
            "service": (f"{package}.api.app:create_app", "--factory"),
            "no model": ("no_model:create_app", "--factory"),
            "no log": ("no_log:create_app", "--factory"),
        }
        ports = {
            name: servers.enter_context(serving(project, app, options.workers, *extra))
            for name, (app, *extra) in apps.items()
        }
        for port in ports.values():  # warm up: imports, first model calls
            load(port, options.users, 1)
        for _ in range(options.rounds):
            for name, port in ports.items():
                runs[name].append(load(port, options.users, options.seconds))
        batch = [post(ports["service"], "/v1/predict/batch", BATCH) * 1000 for _ in range(20)]
    print(
        f"{options.users} concurrent users, {options.rounds} rounds of {options.seconds:.0f} s"
        f" per server, {options.workers} worker(s) each, loopback"
    )
    rates = {}
    for name, title in titles.items():
        rates[name] = statistics.mean(rate for rate, _ in runs[name])
        report(title, rates[name], [value for _, values in runs[name] for value in values])
    pairs = zip(runs["ceiling"], runs["service"], strict=True)
    spread = ", ".join(f"{service / ceiling:.0%}" for (ceiling, _), (service, _) in pairs)
    print(f"/v1/predict throughput / ceiling: {rates['service'] / rates['ceiling']:.0%}", end="")
    print(f" (per round: {spread})")
    print(f"without the model / ceiling: {rates['no model'] / rates['ceiling']:.0%}")
    pairs = zip(runs["no log"], runs["service"], strict=True)
    spread = ", ".join(f"{service / bare:.0%}" for (bare, _), (service, _) in pairs)
    print(f"with the prediction log / without: {rates['service'] / rates['no log']:.0%}", end="")
    print(f" (per round: {spread})")
    print(f"/v1/predict/batch of 256 texts: median {statistics.median(batch):.1f} ms")


if __name__ == "__main__":
    main()
