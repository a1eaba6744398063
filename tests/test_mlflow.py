"""Real tier: the experiments component with real MLflow: runs and aliases after trainings and a
failed gate, training against a real `mlflow server` on loopback, and a project that gains
MLflow after it trained, then backfills."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from .running import bake, commit_all, free_port, make, printed_json, run, wait_until_ready
from .template import TOGGLES, make_template_repository, require_tools, tool_environment

pytestmark = pytest.mark.real
PACKAGE = "support_ticket_router"
MODEL = "support-ticket-router"
MLFLOW = "mlflow==3.17.2"  # as the project's mk/mlflow.mk runs it
# Reads the project's tracking store (MLFLOW_TRACKING_URI or mlruns/) with MLflow's client.
READ_TRACKING = """
import json
from mlflow import MlflowClient
from support_ticket_router.experiments.tracking import REGISTERED_MODEL, use_project_experiment
experiment = use_project_experiment()
client = MlflowClient()
runs = client.search_runs([experiment], order_by=["attributes.start_time ASC"])
model = client.get_registered_model(REGISTERED_MODEL)
def files(run_id):
    return [item.path for item in client.list_artifacts(run_id, "evaluation")]
print(json.dumps({
    "runs": [{"tags": run.data.tags, "metrics": run.data.metrics, "id": run.info.run_id,
              "artifacts": files(run.info.run_id)} for run in runs],
    "versions": {version.version: version.tags for version in
                 client.search_model_versions(f"name='{REGISTERED_MODEL}'")},
    "champion": str(model.aliases.get("champion")),
}))
"""


def mlflow_only(tmp_path: Path, **overrides: bool) -> Path:
    """A project with the experiments component alone (or as `overrides` say), installed."""
    toggles = dict.fromkeys(TOGGLES, False) | {"use_mlflow": True} | overrides
    project = bake(tmp_path, *(f"{name}={'yes' if on else 'no'}" for name, on in toggles.items()))
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    run(["make", "install"], project)
    return project


def tracked(project: Path, **environment: str) -> dict[str, Any]:
    return dict(printed_json(project, READ_TRACKING, **environment))


def stored(project: Path, version: str) -> dict[str, Any]:
    path = project / "models" / "versions" / version / "metadata.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def latest(project: Path) -> str:
    return (project / "models" / "aliases" / "latest").read_text(encoding="utf-8").strip()


def test_trainings_and_a_failed_gate_leave_runs_and_aliases_in_step(tmp_path: Path) -> None:
    require_tools("uv", "make", "git")
    project = mlflow_only(tmp_path)
    for _ in range(2):
        assert make(project, "train").returncode == 0
    failed = make(project, "train", **{f"{PACKAGE.upper()}_MIN_MACRO_F1": "0.99"})
    assert failed.returncode != 0 and "quality gate failed" in failed.stderr
    assert "Logged as MLflow run" in failed.stdout

    tracking = tracked(project)
    runs = tracking["runs"]
    assert [run["tags"]["quality_gate"] for run in runs] == ["passed", "passed", "failed"]
    for run_ in runs:
        version = stored(project, run_["tags"]["store_version"])
        assert version["mlflow_run_id"] == run_["id"]
        assert tracking["versions"][version["mlflow_model_version"]] == {
            "store_version": version["version"]
        }
        assert run_["metrics"] == version["metrics"]
        assert len(run_["artifacts"]) == 3
    # The champion is the store's latest: the second training, not the failed third.
    assert runs[1]["tags"]["store_version"] == latest(project)
    assert tracking["champion"] == stored(project, latest(project))["mlflow_model_version"] == "2"
    assert "mlruns/" not in run(["git", "status", "--porcelain"], project).stdout


@contextmanager
def mlflow_server(folder: Path, port: int) -> Iterator[str]:
    """A real MLflow server on loopback (SQLite, proxied artifacts), in its own environment."""
    command = ["uvx", "--from", MLFLOW, "mlflow", "server", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--backend-store-uri", f"sqlite:///{folder}/mlflow.db"]
    command += ["--artifacts-destination", str(folder / "artifacts"), "--workers", "1"]
    server = subprocess.Popen(
        command,
        cwd=folder,
        env=tool_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        # The first start installs MLflow and migrates the database: minutes on a busy machine.
        wait_until_ready(f"{url}/health", timeout=600)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def rest(url: str, path: str, **query: str) -> dict[str, Any]:
    address = f"{url}/api/2.0/mlflow/{path}?{urllib.parse.urlencode(query)}"
    with urllib.request.urlopen(address, timeout=30) as response:
        return dict(json.load(response))


def test_training_logs_to_a_real_mlflow_server(tmp_path: Path) -> None:
    require_tools("uv", "make", "git", "uvx")
    project = mlflow_only(tmp_path / "project")
    server_folder = tmp_path / "server"
    server_folder.mkdir()
    with mlflow_server(server_folder, free_port()) as url:
        trained = make(project, "train", MLFLOW_TRACKING_URI=url)
        assert trained.returncode == 0, trained.stdout + trained.stderr
        version = stored(project, latest(project))

        run_ = rest(url, "runs/get", run_id=version["mlflow_run_id"])["run"]
        tags = {tag["key"]: tag["value"] for tag in run_["data"]["tags"]}
        assert tags["store_version"] == version["version"]
        params = {param["key"] for param in run_["data"]["params"]}
        assert {"params.regularization_c", "min_macro_f1", "random_seed"} <= params
        (dataset,) = run_["inputs"]["dataset_inputs"]
        sha256 = {tag["key"]: tag["value"] for tag in dataset["tags"]}["sha256"]
        assert sha256 == version["data"]["sha256"]
        champion = rest(url, "registered-models/alias", name=MODEL, alias="champion")
        assert champion["model_version"]["version"] == version["mlflow_model_version"]
        assert champion["model_version"]["run_id"] == version["mlflow_run_id"]
        # The artifacts went through the server to its own folder, none to the project.
        files = list((server_folder / "artifacts").rglob("confusion_matrix.png"))
        assert len(files) == 1
        assert not (project / "mlruns").exists()


def test_mlflow_is_added_to_a_trained_project_which_backfills_its_versions(
    tmp_path: Path,
) -> None:
    require_tools("uv", "make", "git")
    template = make_template_repository(tmp_path / "template" / "fullstack-ds")
    toggles = dict.fromkeys(TOGGLES, False)
    answers = (f"{name}=no" for name in toggles)
    project = bake(tmp_path / "project", *answers, template=template)
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    run(["make", "install"], project)
    commit_all(project)
    for _ in range(2):
        run(["make", "train"], project)
    commit_all(project, "Trained")  # the model card and datasheet follow the model

    added = make(project, "add-component", "NAME=mlflow")
    assert added.returncode == 0, added.stdout + added.stderr
    commit_all(project, "Add mlflow")
    run(["make", "install"], project)
    backfilled = make(project, "mlflow-backfill")
    assert backfilled.returncode == 0, backfilled.stdout + backfilled.stderr
    assert "Logged 2 stored versions as runs" in backfilled.stdout

    tracking = tracked(project)
    assert [run_["tags"]["backfilled"] for run_ in tracking["runs"]] == ["true", "true"]
    assert tracking["champion"] == stored(project, latest(project))["mlflow_model_version"]
    again = make(project, "mlflow-backfill")
    assert "Every stored version has its MLflow run already." in again.stdout
    assert len(tracked(project)["runs"]) == 2
