"""Benchmark: the API under a burst, as a container's health check and memory limit see it.

Bakes the project, trains, and serves the model with the production command
(`python -m <package>.api.serve`, 2 workers by default, as `make serve-prod` and the container
run it). Then fires a burst of concurrent predictions of long texts (1,000 of 5,000 characters by
default, each on its own connection, from a process of their own) while a probe asks
`/health/live` on a new connection every 20 ms, as a health check does, and the server's memory
(RSS of its processes) is sampled. Prints the liveness latency during the burst, how many
predictions got 200 and how many 503 (with `Retry-After`), and the server's memory before, at
its peak and after the burst.

Usage: uv run python benchmarks/api_burst.py [--requests 1000] [--characters 5000]
       [--workers 2] [--settle 5]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
Burst = tuple[Counter[str], float]  # statuses and seconds
WORDS = ["parcel", "refund", "charged", "password", "account", "order", "invoice", "delivery"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def long_text(characters: int, seed: int) -> str:
    """A message of `characters` characters made of support words and numbers."""
    generator = random.Random(seed)
    words: list[str] = []
    while sum(len(word) + 1 for word in words) < characters:
        words.append(f"{generator.choice(WORDS)}{generator.randrange(1000)}")
    return " ".join(words)[:characters]


@contextmanager
def serving(project: Path, workers: int) -> Iterator[tuple[int, int]]:
    """The production server of `project`: yields its port and process id once it is ready."""
    port = free_port()
    package = project.name.replace("-", "_")
    prefix = f"{package.upper()}_API_"
    environment = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    environment |= {f"{prefix}PORT": str(port), f"{prefix}WORKERS": str(workers)}
    command = [str(project / ".venv" / "bin" / "python"), "-m", f"{package}.api.serve"]
    server = subprocess.Popen(command, cwd=project, env=environment, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while get(port, "/health/ready") != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not become ready within 180 s")
            time.sleep(0.2)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(port: int, path: str) -> int:
    """Status of a GET on a new connection (0 when refused)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return 0
    finally:
        connection.close()


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:  # the process has just ended
            continue
        kilobytes = next(line.split()[1] for line in status.splitlines() if line[:6] == "VmRSS:")
        total += int(kilobytes) * 1024
        pending += [int(child) for child in children]
    return total


async def post(port: int, body: bytes) -> str:
    """POST one prediction on its own connection; its status, with "+retry" for Retry-After."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        "POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode("ascii") + body)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    lines = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = lines[0].split()[1] if lines[0] else "no answer"
    if any(line.lower().startswith("retry-after:") for line in lines[1:]):
        status += " with Retry-After"
    return status


async def burst(port: int, bodies: list[bytes]) -> Counter[str]:
    statuses = await asyncio.gather(*(post(port, body) for body in bodies), return_exceptions=True)
    return Counter(
        status if isinstance(status, str) else type(status).__name__ for status in statuses
    )


def fire(port: int, bodies: list[bytes]) -> Burst:
    """The statuses of a burst of predictions, and its duration. Run in a process of its own,
    so that the client's work does not delay the probes."""
    started = time.perf_counter()
    statuses = asyncio.run(burst(port, bodies))
    return statuses, time.perf_counter() - started


async def watch(port: int, pid: int, burst: Future[Burst]) -> tuple[list[float], int, list[int]]:
    """Until `burst` is done: the latency of a liveness probe sent every 20 ms on a new
    connection, counted from the moment it was due (a stalled server delays every probe due
    meanwhile, as it would delay health checks), how many probes failed, and RSS samples."""

    async def probe() -> float | None:
        due = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            status = await reader.readline()
            writer.close()
        except OSError:
            return None
        return time.perf_counter() - due if status.split()[1:2] == [b"200"] else None

    probes = []
    memory = []
    while not burst.done():
        probes.append(asyncio.create_task(probe()))
        memory.append(rss_bytes(pid))
        await asyncio.sleep(0.02)
    answers = await asyncio.gather(*probes)
    latencies = [answer for answer in answers if answer is not None]
    return latencies, len(answers) - len(latencies), memory


def milliseconds(values: list[float], share: float) -> str:
    return f"{statistics.quantiles(values, n=100)[int(share * 100) - 1] * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--characters", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--settle", type=float, default=5, help="seconds after the burst")
    options = parser.parse_args()
    bodies = [
        json.dumps({"text": long_text(options.characters, seed)}).encode()
        for seed in range(options.requests)
    ]
    with tempfile.TemporaryDirectory() as scratch, ProcessPoolExecutor(1) as client:
        project = Path(cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=scratch))
        subprocess.run(["make", "train"], cwd=project, check=True, capture_output=True)
        with serving(project, options.workers) as (port, pid):
            for body in bodies[:20]:  # warm up every worker: imports, first model calls
                client.submit(fire, port, [body]).result()
            before = rss_bytes(pid)
            burst = client.submit(fire, port, bodies)
            latencies, failed, memory = asyncio.run(watch(port, pid, burst))
            statuses, elapsed = burst.result()
            time.sleep(options.settle)
            after = rss_bytes(pid)
    print(
        f"{options.requests} concurrent predictions of {options.characters} characters,"
        f" {options.workers} worker(s), loopback: answered in {elapsed:.1f} s"
    )
    print(", ".join(f"{count} answered {status}" for status, count in sorted(statuses.items())))
    print(
        f"/health/live during the burst ({len(latencies)} answered, {failed} failed; a new"
        f" connection each): p50 {milliseconds(latencies, 0.5)},"
        f" p99 {milliseconds(latencies, 0.99)}, max {max(latencies) * 1000:.0f} ms"
    )
    peak = max(memory, default=before)
    print(
        f"server RSS (all processes): before {before / 2**20:.0f} MB, peak {peak / 2**20:.0f} MB,"
        f" {options.settle:.0f} s after the burst {after / 2**20:.0f} MB"
    )


if __name__ == "__main__":
    main()
