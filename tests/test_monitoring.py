"""Real tier: the monitoring component on a served project. The production server's workers log
to S3 (a moto server on loopback) while they serve, and take feedback; `make monitor` reads that
log, fails on a label mix unlike the training data's and passes on traffic drawn like it; the
messages served without feedback go to a real Label Studio."""

from __future__ import annotations

import contextlib
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .label_studio import TOKEN, Server, env_file, label_studio, with_migrated_data
from .running import (
    bake,
    free_port,
    http_json,
    make,
    moto_s3,
    printed_json,
    run,
    wait_until_ready,
)
from .template import TOGGLES, require_tools, tool_environment

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
# Prints the messages of the bundled data, by label, and those the latest version was held out
# from: traffic drawn like the training data.
MESSAGES = f"""
import json
from {PACKAGE}.settings import Settings
from {PACKAGE}.store import LATEST, ModelStore
from {PACKAGE}.training import stored_split
settings = Settings()
store = ModelStore(settings.model_store)
trained_on, held_out = stored_split(settings, store, store.load(LATEST).metadata.version)
pairs = lambda frame: frame[["text", "label"]].values.tolist()
print(json.dumps({{"held out": pairs(held_out),
                  "billing": pairs(trained_on[trained_on["label"] == "billing"])}}))
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained project with the API, monitoring, annotation and s3fs (which the scale
    component brings)."""
    on = {"use_api", "use_monitoring", "use_annotation", "use_dask"}
    answers = (f"{name}={'yes' if name in on else 'no'}" for name in TOGGLES)
    project = bake(tmp_path_factory.mktemp("monitoring"), *answers)
    run(["make", "install"], project)
    run(["make", "train"], project)
    return project


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[dict[str, str]]:
    with moto_s3(tmp_path / "moto.log") as environment:
        yield environment


@contextlib.contextmanager
def serving(project: Path, output: Path, environment: dict[str, str]) -> Iterator[str]:
    """The production server (two workers) with these settings, flushing its log twice a
    second; its URL."""
    port = free_port()
    settings = {
        f"{ENV}API_PORT": str(port),
        f"{ENV}API_WORKERS": "2",
        f"{ENV}MONITORING_FLUSH_INTERVAL_SECONDS": "0.5",
    }
    command = ["uv", "run", "python", "-m", f"{PACKAGE}.api.serve"]
    with output.open("w") as log:
        server = subprocess.Popen(
            command,
            cwd=project,
            env=tool_environment() | environment | settings,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_ready(f"{url}/health/ready")
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_the_workers_log_to_s3_while_they_serve_and_make_monitor_reads_it(
    project: Path, s3: dict[str, str], tmp_path: Path
) -> None:
    assert printed_json(project, READ_LOG, **s3) == {"predictions": [], "feedback": []}
    settings = {f"{ENV}MONITORING_LOG_URL": LOG, f"{ENV}MONITORING_SIGNING_KEY": "a test key"}
    with serving(project, tmp_path / "server.log", s3 | settings) as url:
        served = [  # a new connection each: both workers serve some
            http_json(f"{url}/v1/predict", {"text": f"my parcel is late ({n})"}) for n in range(20)
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
    assert sorted(logged["predictions"]) == request_ids, (tmp_path / "server.log").read_text()
    assert sorted(logged["feedback"]) == request_ids[:10]
    report = tmp_path / "report"
    report_dir = {f"{ENV}MONITORING_REPORT_DIR": str(report)}
    monitored = make(project, "monitor", **s3, **settings, **report_dir)
    assert monitored.returncode == 0, monitored.stdout + monitored.stderr
    assert ": 20 predictions and 10 answers from " in monitored.stdout
    assert "skipped  predicted labels: skipped, 20 predictions, fewer than 50" in monitored.stdout
    assert (report / "index.html").exists()


def serve_and_monitor(
    project: Path,
    tmp_path: Path,
    messages: list[list[str]],
    feedback: int,
    challenger: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Serve the texts of `messages` (text, label) in batches, with the true label sent back for
    the first `feedback` (and the challenger scoring in shadow), into a log of its own; `make
    monitor` on that log."""
    log = {f"{ENV}MONITORING_LOG_URL": str(tmp_path / "log")}
    shadow = {f"{ENV}MONITORING_CHALLENGER": challenger} if challenger else {}
    with serving(project, tmp_path / "server.log", log | shadow) as url:
        served = []
        for start in range(0, len(messages), 100):
            batch = {"texts": [text for text, _ in messages[start : start + 100]]}
            served += http_json(f"{url}/v1/predict/batch", batch)["predictions"]
        for prediction, (_, label) in list(zip(served, messages, strict=True))[:feedback]:
            answer = {"request_id": prediction["request_id"], "label": label}
            http_json(f"{url}/v1/feedback", answer)
    # The server wrote what was waiting when it stopped.
    report = {f"{ENV}MONITORING_REPORT_DIR": str(tmp_path / "report")}
    return make(project, "monitor", **log, **report)


def test_make_monitor_fails_on_a_label_mix_unlike_the_training_data(
    project: Path, tmp_path: Path
) -> None:
    billing = printed_json(project, MESSAGES)["billing"]
    monitored = serve_and_monitor(project, tmp_path, billing * 3, feedback=60)
    assert monitored.returncode == 2, monitored.stdout + monitored.stderr  # make's status for 1
    assert f": {len(billing) * 3} predictions and 60 answers from " in monitored.stdout
    assert "  failed   predicted labels: Jensen-Shannon distance" in monitored.stdout
    assert "error: drift: predicted labels" in monitored.stderr
    summary = json.loads((tmp_path / "report" / "checks.json").read_text(encoding="utf-8"))
    assert summary["checks"][0]["name"] == "predicted labels"
    assert summary["checks"][0]["status"] == "failed"
    assert {path.name for path in (tmp_path / "report").iterdir()} >= {"index.html", "labels.png"}


def test_make_monitor_passes_on_traffic_drawn_like_the_training_data(
    project: Path, tmp_path: Path
) -> None:
    held_out = printed_json(project, MESSAGES)["held out"]
    monitored = serve_and_monitor(project, tmp_path, held_out, feedback=len(held_out))
    assert monitored.returncode == 0, monitored.stdout + monitored.stderr
    checks = [line.split()[0] for line in monitored.stdout.splitlines() if line.startswith("  ")]
    assert checks == ["passed"] * 5, monitored.stdout  # the bundled data holds out 66 messages
    assert (tmp_path / "report" / "index.html").exists()


def test_messages_served_without_feedback_go_to_label_studio_least_sure_first(
    project: Path, tmp_path: Path
) -> None:
    require_tools("uvx", "ps")
    held_out = printed_json(project, MESSAGES)["held out"][:30]
    log = {
        f"{ENV}MONITORING_LOG_URL": str(tmp_path / "log"),
        f"{ENV}MONITORING_STORE_TEXT": "true",
    }
    with serving(project, tmp_path / "server.log", log) as url:
        batch = {"texts": [text for text, _ in held_out]}
        served = http_json(f"{url}/v1/predict/batch", batch)["predictions"]
        pairs = list(zip(served, held_out, strict=True))
        for prediction, (_, label) in pairs[:10]:
            http_json(
                f"{url}/v1/feedback", {"request_id": prediction["request_id"], "label": label}
            )
    least_sure_first = sorted(pairs[10:], key=lambda pair: pair[0]["confidence"])
    expected = [(prediction["request_id"], text) for prediction, (text, _) in least_sure_first]

    with_migrated_data(project)
    with label_studio(project, free_port()) as (studio_url, _):
        studio = {f"{ENV}ANNOTATION_URL": studio_url}
        pushed = make(project, "annotate-served", **log, **studio)
        assert pushed.returncode == 0, pushed.stdout + pushed.stderr
        assert "Pushed 20 served messages (least sure first)" in pushed.stdout
        assert "0 were pushed already, 0 had no text in the log." in pushed.stdout
        again = make(project, "annotate-served", **log, **studio)
        assert "Pushed 0 served messages" in again.stdout, again.stdout + again.stderr

        server = Server(studio_url, env_file(project)[TOKEN])
        [created] = server.api("/api/projects")["results"]
        tasks = server.api(f"/api/tasks?project={created['id']}&page_size=100")["tasks"]
        assert [(task["data"]["row_id"], task["data"]["text"]) for task in tasks] == expected


# Prints the store's versions, oldest first, and the one `latest` points to.
VERSIONS = f"""
import json
from {PACKAGE}.settings import Settings
from {PACKAGE}.store import ModelStore
store = ModelStore(Settings().model_store)
print(json.dumps({{"versions": store.versions(), "latest": store.resolve("latest")}}))
"""


def test_a_challenger_scored_in_shadow_is_compared_then_promoted(
    project: Path, tmp_path: Path
) -> None:
    """Last in this module: it leaves a second version in the project's store."""
    champion = printed_json(project, VERSIONS)["latest"]
    trained = make(project, "train", "PROMOTE=no")
    assert trained.returncode == 0, trained.stdout + trained.stderr
    stored = printed_json(project, VERSIONS)
    [challenger] = [version for version in stored["versions"] if version > champion]
    assert stored["latest"] == champion

    held_out = printed_json(project, MESSAGES)["held out"]
    monitored = serve_and_monitor(project, tmp_path, held_out, len(held_out), challenger)
    assert monitored.returncode == 0, monitored.stdout + monitored.stderr
    assert (
        f"Challenger {challenger} against {champion}, on {len(held_out)} requests both scored:"
        in monitored.stdout
    )
    assert f"On the {len(held_out)} with feedback (95 % intervals):" in monitored.stdout
    assert "  macro-F1: champion " in monitored.stdout
    summary = json.loads((tmp_path / "report" / "checks.json").read_text(encoding="utf-8"))
    assert summary["challenger"]["requests"] == len(held_out)
    log = {f"{ENV}MONITORING_LOG_URL": str(tmp_path / "log")}
    promoted = make(project, "promote", f"VERSION={challenger}", "YES=1", **log)
    assert promoted.returncode == 0, promoted.stdout + promoted.stderr
    assert f"Challenger {challenger} against {champion}" in promoted.stdout
    assert printed_json(project, VERSIONS)["latest"] == challenger

    rollback = make(project, "promote", f"VERSION={champion}", "YES=1")
    assert rollback.returncode == 0, rollback.stdout + rollback.stderr
    assert f"Served {challenger}: held-out macro-F1 " in rollback.stdout
    assert f"Promoted version {champion} to 'latest'." in rollback.stdout
    assert printed_json(project, VERSIONS)["latest"] == champion
