"""Docker component: hadolint and Compose accept every combination; the images build and serve."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .running import bake, free_port, http_json, run, wait_until_ready
from .template import (
    answers,
    bake_cookies,
    combination_id,
    covering_set,
    is_valid_combination,
    require_tools,
    toggle_combinations,
)

TOOLS = Path(sys.executable).parent  # hadolint and docker-compose come with the dev group
# Every pair of toggle values with Docker on: hadolint and compose on each combination take minutes.
WITH_DOCKER = covering_set(
    [
        toggles
        for toggles in toggle_combinations()
        if toggles["use_docker"] and is_valid_combination(toggles)
    ]
)
BASE_IMAGE = "docker.io/library/python:3.11-slim"  # the default python_version's base
# The model store's S3 file system, as the deployed service opens it (no request is made).
OPEN_S3_STORE = "import fsspec; fsspec.core.url_to_fs('s3://bucket/models')"


def tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TOOLS / command[0]), *command[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def compose_config(project: Path) -> dict[str, Any]:
    result = tool("docker-compose", "-f", "compose.yaml", "config", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = json.loads(result.stdout)
    return config


@pytest.mark.parametrize("toggles", WITH_DOCKER, ids=combination_id)
def test_dockerfile_and_compose_file_are_clean(cookies: Any, toggles: dict[str, bool]) -> None:
    project = bake_cookies(cookies, **toggles)
    hadolint = tool("hadolint", "--failure-threshold", "warning", "Dockerfile", cwd=project)
    assert hadolint.returncode == 0, hadolint.stdout + hadolint.stderr
    quiet = tool("docker-compose", "-f", "compose.yaml", "config", "--quiet", cwd=project)
    assert quiet.returncode == 0, quiet.stderr

    services = compose_config(project)["services"]
    expected = {"api"} | ({"demo"} if toggles["use_streamlit"] else set())
    expected |= {"label-studio"} if toggles["use_annotation"] else set()
    expected |= {"mlflow"} if toggles["use_mlflow"] else set()
    assert set(services) == expected
    if toggles["use_streamlit"]:
        assert services["demo"]["depends_on"]["api"]["condition"] == "service_healthy"
    for name, service in services.items():
        assert {port["host_ip"] for port in service["ports"]} == {"127.0.0.1"}, name
        assert service["healthcheck"]["test"][0] == "CMD", name
        [volume, *others] = service["volumes"]
        if name == "api" and toggles["use_monitoring"]:  # and the prediction log, the server's
            assert [(other["type"], other["source"], other["target"]) for other in others] == [
                ("volume", "prediction-log", "/prediction-log")
            ]
        else:
            assert others == []
        if name == "label-studio":
            assert volume["target"] == "/label-studio/data"
        elif name == "mlflow":  # a named volume, written by the server only
            assert (volume["type"], volume["source"], volume["target"]) == (
                "volume",
                "mlflow-data",
                "/mlflow",
            )
        else:
            assert (volume["target"], volume["read_only"]) == ("/models", True)


def test_the_mlflow_server_proxies_its_artifacts_into_its_volume(cookies: Any) -> None:
    project = bake_cookies(cookies)
    dockerfile = (project / "Dockerfile").read_text(encoding="utf-8")
    stage = dockerfile.split(" AS mlflow\n")[1].split("\nFROM ")[0]
    assert "\nUSER 10001:10001\n" in stage and "\nHEALTHCHECK " in stage
    assert "mlflow==3.17.0" in stage  # pinned, and only in this stage
    assert dockerfile.lower().count("mlflow==") == 1
    command = json.loads(stage.split("\nCMD ", 1)[1].split("\n\n")[0].replace("\\\n", ""))
    assert command[:2] == ["mlflow", "server"]
    assert "--serve-artifacts" in command
    assert command[command.index("--backend-store-uri") + 1].startswith("sqlite:////mlflow/")
    assert command[command.index("--artifacts-destination") + 1].startswith("/mlflow/")
    service = compose_config(project)["services"]["mlflow"]
    assert service["build"]["target"] == "mlflow"
    assert [(port["host_ip"], port["target"]) for port in service["ports"]] == [("127.0.0.1", 5000)]


def test_the_api_stage_runs_as_a_numeric_user_with_a_health_check(cookies: Any) -> None:
    dockerfile = (bake_cookies(cookies) / "Dockerfile").read_text(encoding="utf-8")
    api_stage = dockerfile.split(" AS api\n")[1].split("\nFROM ")[0]
    assert "\nUSER 10001:10001\n" in api_stage
    assert "\nHEALTHCHECK " in api_stage
    assert 'CMD ["python", "-m", "' in api_stage


def test_the_scale_stage_has_dask_and_training_and_the_api_stage_neither(cookies: Any) -> None:
    project = bake_cookies(cookies)
    dockerfile = (project / "Dockerfile").read_text(encoding="utf-8")
    build = dockerfile.split(" AS build-scale\n")[1].split("\nFROM ")[0]
    assert 'SCALE_GROUPS="--group train --group scale --group aws"' in build  # s3fs for S3
    stage = dockerfile.split(" AS scale\n")[1].split("\nFROM ")[0]
    assert "COPY --from=build-scale /app/.venv /app/.venv" in stage
    # dask-cloudprovider's commands, which Dask no longer installs under these names
    assert """exec dask scheduler "$@"\\n' > /usr/local/bin/dask-scheduler""" in stage
    assert """exec dask worker "$@"\\n' > /usr/local/bin/dask-worker""" in stage
    assert "\nUSER 10001:10001\n" in stage
    assert 'CMD ["python", "-m", "' + answers()["package_name"] + '", "train"]' in stage
    api_groups = dockerfile.split('ARG DEPENDENCY_GROUPS="')[1].split('"')[0]
    assert "scale" not in api_groups and "train" not in api_groups
    assert "--target scale " in (project / "mk/docker.mk").read_text(encoding="utf-8")


def test_the_build_context_leaves_out_data_models_and_secrets(cookies: Any) -> None:
    ignored = (bake_cookies(cookies) / ".dockerignore").read_text(encoding="utf-8").split()
    entries = ("data/*", "models/", "**/.venv", "**/.git", ".env", "tests/", "mlruns/")
    for entry in (*entries, "prediction-log/"):
        assert entry in ignored


@contextlib.contextmanager
def container(
    image: str, *options: str, port: int = 8000, ready: str = "/health/ready", timeout: float = 60
) -> Iterator[tuple[str, str]]:
    """Run `image` with its `port` on loopback until `ready` answers; yield its name and URL."""
    published = free_port()
    name = f"fullstack-ds-test-{published}"
    command = ["podman", "run", "--detach", "--name", name, "-p", f"127.0.0.1:{published}:{port}"]
    subprocess.run([*command, *options, image], check=True, capture_output=True)
    try:
        url = f"http://127.0.0.1:{published}"
        wait_until_ready(f"{url}{ready}", timeout=timeout)
        yield name, url
    finally:
        subprocess.run(["podman", "rm", "--force", name], check=False, capture_output=True)


def require_podman() -> None:
    """Podman and the base image, as `.ci/provision-podman` sets them up; skip when it could not."""
    if reason := os.environ.get("FULLSTACK_DS_NO_CONTAINERS"):
        pytest.skip(reason)
    require_tools("podman")
    if subprocess.run(["podman", "image", "exists", BASE_IMAGE], check=False).returncode:
        reason = f"needs the {BASE_IMAGE} image: run .ci/provision-podman"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.mark.real
def test_the_api_image_serves_a_mounted_and_a_baked_in_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tools("uv", "make")
    require_podman()
    project = bake(tmp_path)
    run(["make", "train"], project)
    version = (project / "models" / "aliases" / "latest").read_text(encoding="utf-8").strip()
    images = [f"{project.name}-api:latest", f"{project.name}-api:{version}"]
    images += [f"{project.name}-demo:latest", f"{project.name}-scale:latest"]
    monkeypatch.setenv("BUILDAH_FORMAT", "docker")  # podman keeps HEALTHCHECK in this format
    try:
        run(["make", "docker-build", "DOCKER=podman"], project)
        mounted = ["--volume", f"{project / 'models'}:/models:ro"]
        with container(images[0], *mounted) as (name, url):
            answer = http_json(f"{url}/v1/predict", {"text": "I was charged twice for my order"})
            assert answer["label"] == "billing"
            assert answer["model_version"] == version
            with urllib.request.urlopen(f"{url}/metrics", timeout=10) as metrics:
                assert 'predictions_total{label="billing"} 1.0' in metrics.read().decode()
            # The prediction log's folder is the user's: the key that signs ids is made there.
            feedback = {"request_id": answer["request_id"], "label": "billing"}
            assert http_json(f"{url}/v1/feedback", feedback)["predicted_label"] == "billing"
            log = ["podman", "exec", name, "ls", "-a", "/prediction-log"]
            assert ".signing-key" in run(log, project).stdout.split()
            run(["podman", "exec", name, "python", "-c", OPEN_S3_STORE], project)
            run(["podman", "healthcheck", "run", name], project)
            user = run(["podman", "exec", name, "id", "-u"], project).stdout.strip()
            assert user == "10001"

        demo = ["--volume", f"{project / 'models'}:/models:ro"]
        with container(images[2], *demo, port=8501, ready="/_stcore/health") as (name, _):
            run(["podman", "healthcheck", "run", name], project)
            assert run(["podman", "exec", name, "id", "-u"], project).stdout.strip() == "10001"
            data = run(["podman", "exec", name, "ls", "data"], project).stdout.split()
            assert sorted(data) == ["examples.csv", "messages.csv"]  # never the unlabelled pool

        # The scale image: the commands dask-cloudprovider starts on Fargate, and the package's.
        scale = ["podman", "run", "--rm", images[3]]
        for command in ("dask-scheduler", "dask-worker"):
            assert "version" in run([*scale, command, "--version"], project).stdout.lower()
        package = answers()["package_name"]
        assert (
            "batch-predict"
            in run([*scale, "python", "-m", f"{package}.scale", "--help"], project).stdout
        )
        assert run([*scale, "id", "-u"], project).stdout.strip() == "10001"

        run(["make", "docker-build-with-model", "DOCKER=podman"], project)
        shutil.rmtree(project / "models")  # the model now travels inside the image
        with container(images[1]) as (_, url):
            assert http_json(f"{url}/v1/model")["version"] == version
    finally:
        subprocess.run(["podman", "rmi", "--force", *images], check=False, capture_output=True)


def mlflow_api(url: str, path: str, body: dict[str, Any]) -> Any:
    return http_json(f"{url}/api/2.0/mlflow/{path}", body)


@pytest.mark.real
def test_the_mlflow_image_tracks_runs_and_proxies_artifacts_into_its_volume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_podman()
    project = bake(tmp_path)
    image, volume = f"{project.name}-mlflow:test", f"{project.name}-mlflow-test-data"
    monkeypatch.setenv("BUILDAH_FORMAT", "docker")  # podman keeps HEALTHCHECK in this format
    try:
        run(["podman", "build", "--pull=never", "--target", "mlflow", "--tag", image, "."], project)
        mount = ["--volume", f"{volume}:/mlflow"]
        # The first start creates the tracking database: about a minute and a half here.
        with container(image, *mount, port=5000, ready="/health", timeout=240) as (name, url):
            experiment = mlflow_api(url, "experiments/create", {"name": "check"})["experiment_id"]
            info = mlflow_api(url, "runs/create", {"experiment_id": experiment})["run"]["info"]
            metric = {"key": "macro_f1", "value": 0.9, "timestamp": 0, "step": 0}
            mlflow_api(url, "runs/log-batch", {"run_id": info["run_id"], "metrics": [metric]})
            # Artifacts go through the server (--serve-artifacts), never to the client's disk.
            assert info["artifact_uri"].startswith("mlflow-artifacts:/")
            folder = info["artifact_uri"].removeprefix("mlflow-artifacts:/")
            upload = urllib.request.Request(
                f"{url}/api/2.0/mlflow-artifacts/artifacts/{folder}/report.txt",
                b"macro F1 0.9",
                {"Content-Type": "text/plain"},
                method="PUT",
            )
            urllib.request.urlopen(upload, timeout=10).close()
            stored = run(
                ["podman", "exec", name, "cat", f"/mlflow/artifacts/{folder}/report.txt"], project
            )
            assert stored.stdout == "macro F1 0.9"
            run(["podman", "healthcheck", "run", name], project)
            assert run(["podman", "exec", name, "id", "-u"], project).stdout.strip() == "10001"
            fetched = http_json(f"{url}/api/2.0/mlflow/runs/get?run_id={info['run_id']}")
            assert fetched["run"]["data"]["metrics"][0]["value"] == 0.9
    finally:
        subprocess.run(["podman", "rmi", "--force", image], check=False, capture_output=True)
        subprocess.run(
            ["podman", "volume", "rm", "--force", volume], check=False, capture_output=True
        )
