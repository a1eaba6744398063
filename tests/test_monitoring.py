"""Real tier: the monitoring component's prediction log on S3 (a moto server on loopback), written
by the production server's workers while they serve, with the feedback on its predictions."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .running import bake, free_port, http_json, moto_s3, printed_json, run, wait_until_ready
from .template import TOGGLES, tool_environment

pytestmark = pytest.mark.real
PACKAGE = "support_ticket_router"
ENV = PACKAGE.upper() + "_"
LOG = "s3://prediction-log/staging"
# Prints the request ids of the log's predictions and feedback (creating its bucket first).
READ_LOG = f"""
import json, sys
import s3fs
from {PACKAGE}.monitoring.sink import LogSink
fs = s3fs.S3FileSystem()
if not fs.exists("prediction-log"):
    fs.mkdir("prediction-log")
sink = LogSink("{LOG}")
print(json.dumps({{kind: [row["request_id"] for row in sink.read(kind)]
                  for kind in ("predictions", "feedback")}}))
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained project with the API, monitoring and s3fs (which the scale component brings)."""
    on = {"use_api", "use_monitoring", "use_dask"}
    answers = (f"{name}={'yes' if name in on else 'no'}" for name in TOGGLES)
    project = bake(tmp_path_factory.mktemp("monitoring"), *answers)
    run(["make", "install"], project)
    run(["make", "train"], project)
    return project


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[dict[str, str]]:
    with moto_s3(tmp_path / "moto.log") as environment:
        yield environment


def test_the_workers_log_to_s3_while_they_serve(
    project: Path, s3: dict[str, str], tmp_path: Path
) -> None:
    assert printed_json(project, READ_LOG, **s3) == {"predictions": [], "feedback": []}
    port = free_port()
    settings = {
        f"{ENV}API_PORT": str(port),
        f"{ENV}API_WORKERS": "2",
        f"{ENV}MONITORING_LOG_URL": LOG,
        f"{ENV}MONITORING_SIGNING_KEY": "a key of this test",
        f"{ENV}MONITORING_FLUSH_INTERVAL_SECONDS": "0.5",
    }
    command = ["uv", "run", "python", "-m", f"{PACKAGE}.api.serve"]
    with (tmp_path / "server.log").open("w") as output:
        server = subprocess.Popen(
            command,
            cwd=project,
            env=tool_environment() | s3 | settings,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_ready(f"{url}/health/ready")
            served = [  # a new connection each: both workers serve some
                http_json(f"{url}/v1/predict", {"text": f"my parcel is late ({n})"})
                for n in range(20)
            ]
            request_ids = sorted(prediction["request_id"] for prediction in served)
            for request_id in request_ids[:10]:
                body = {"request_id": request_id, "label": "shipping"}
                assert http_json(f"{url}/v1/feedback", body)["label"] == "shipping"
            # Written in the background while the service runs, not only when it stops.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                logged = printed_json(project, READ_LOG, **s3)
                if len(logged["predictions"]) == 20 and len(logged["feedback"]) == 10:
                    break
                time.sleep(1)
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert sorted(logged["predictions"]) == request_ids, (tmp_path / "server.log").read_text()
    assert sorted(logged["feedback"]) == request_ids[:10]
