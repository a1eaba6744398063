"""Benchmark: sizes of the all-on project's images, next to their base (API target: < 450 MB).

Bakes the default project and builds its images with podman (or docker), as
`make docker-build` does. Without Docker Hub, run `.ci/provision-podman` first and export the
settings it prints.

Usage: uv run python benchmarks/image_size.py [--engine podman] [--project-name "Size Probe"]
[--without mlflow] (another project name gives other image tags, so that the benchmark leaves the
default project's images alone; `--without NAME`, repeatable, bakes with `use_NAME=no`, to see
what a component adds to the images).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
TARGET_MB = 450


def image_megabytes(engine: str, image: str) -> float:
    inspected = subprocess.run(
        [engine, "image", "inspect", image], check=True, capture_output=True, text=True
    )
    return float(json.loads(inspected.stdout)[0]["Size"]) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", default="podman" if shutil.which("podman") else "docker")
    parser.add_argument("--project-name", help="bake under this name (default: the template's)")
    parser.add_argument(
        "--without", action="append", default=[], metavar="NAME", help="bake with use_NAME=no"
    )
    options = parser.parse_args()
    context = {"project_name": options.project_name} if options.project_name else {}
    context |= {f"use_{name}": "no" for name in options.without}
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(
            cookiecutter(
                str(TEMPLATE_DIR), no_input=True, output_dir=scratch, extra_context=context
            )
        )
        python_version = (project / ".python-version").read_text(encoding="utf-8").strip()
        base = f"python:{python_version}-slim"
        started = time.perf_counter()
        build = ["make", "docker-build", f"DOCKER={options.engine}"]
        subprocess.run(build, cwd=project, check=True, capture_output=True)
        seconds = time.perf_counter() - started
        base_mb = image_megabytes(options.engine, base)
        sizes = {}
        for name in ("api", "demo"):
            image = f"{project.name}-{name}:latest"
            inspected = subprocess.run(
                [options.engine, "image", "inspect", image], capture_output=True
            )
            if inspected.returncode == 0:
                sizes[name] = image_megabytes(options.engine, image)
                subprocess.run([options.engine, "rmi", image], check=False, capture_output=True)
    print(f"build with {options.engine} (uv cache warm after the first run): {seconds:.0f} s")
    print(f"base image {base}: {base_mb:.0f} MB")
    for name, megabytes in sizes.items():
        layers = megabytes - base_mb
        print(f"{name} image: {megabytes:.0f} MB, of which the project's layers {layers:.0f} MB")
    print(f"target for the api image: under {TARGET_MB} MB")


if __name__ == "__main__":
    main()
