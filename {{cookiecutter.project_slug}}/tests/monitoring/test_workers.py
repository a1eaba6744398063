"""The production server's workers share one log and take feedback for each other's ids."""

import sys
from pathlib import Path

import httpx

from {{ cookiecutter.package_name }}.monitoring.sink import LogSink
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..api.servers import serving
from ..support import free_port


def test_any_worker_takes_feedback_for_any_prediction_and_every_record_is_written(
    trained: tuple[Settings, TrainingResult], tmp_path: Path
) -> None:
    settings, _ = trained
    port, log = free_port(), tmp_path / "log"
    command = [sys.executable, "-m", "{{ cookiecutter.package_name }}.api.serve"]
    with serving(
        command, port, settings, api_port=str(port), api_workers="2", monitoring_log_url=str(log)
    ) as url:
        # A new connection for every request, so that both workers answer some of them.
        served = [
            httpx.post(f"{url}/v1/predict", json={"text": f"I was charged twice ({n})"}).json()
            for n in range(20)
        ]
        for prediction in served:
            body = {"request_id": prediction["request_id"], "label": "billing"}
            assert httpx.post(f"{url}/v1/feedback", json=body).status_code == 202
    # Stopped: each worker wrote what it held.
    sink = LogSink(str(log))
    request_ids = {prediction["request_id"] for prediction in served}
    assert {record["request_id"] for record in sink.read("predictions")} == request_ids
    assert sorted(record["request_id"] for record in sink.read("feedback")) == sorted(request_ids)
