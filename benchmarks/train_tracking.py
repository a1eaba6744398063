"""Benchmark: the time MLflow tracking adds to `make train` (target: under 3 s).

Bakes the default project twice, with and without the experiments component (`use_mlflow`),
installs both, trains each once to warm up (the first training with MLflow also creates the
tracking database), then times `make train` alternately in the two projects and prints the
medians and their difference.

Usage: uv run python benchmarks/train_tracking.py [--runs N]
Prints numbers only; nothing is asserted (targets live in the issues, not in timed tests).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parents[1]


def environment() -> dict[str, str]:
    variables = dict(os.environ)
    variables.pop("VIRTUAL_ENV", None)
    variables.pop("MLFLOW_TRACKING_URI", None)  # the project's own store, as by default
    variables.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules cached, as for a user
    return variables


def make_train(project: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["make", "train"], cwd=project, env=environment(), check=True, capture_output=True
    )
    return time.perf_counter() - start


def project(scratch: Path, tracked: bool) -> Path:
    output = scratch / ("with" if tracked else "without")
    context = {"use_mlflow": tracked}
    baked = Path(
        cookiecutter(
            str(TEMPLATE_DIR), no_input=True, output_dir=str(output), extra_context=context
        )
    )
    subprocess.run(
        ["make", "install"], cwd=baked, env=environment(), check=True, capture_output=True
    )
    return baked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed trainings of each project")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        without, tracked = project(scratch, tracked=False), project(scratch, tracked=True)
        make_train(without)
        print(f"first make train with MLflow (creates mlruns/): {make_train(tracked):.1f} s")
        timings: dict[Path, list[float]] = {without: [], tracked: []}
        for _ in range(options.runs):
            for baked in (without, tracked):
                timings[baked].append(make_train(baked))
        plain, logged = statistics.median(timings[without]), statistics.median(timings[tracked])
        print(f"make train without MLflow: median {plain:.2f} s of {timings[without]}")
        print(f"make train with MLflow:    median {logged:.2f} s of {timings[tracked]}")
        print(f"MLflow adds {logged - plain:.2f} s (target: under 3 s)")


if __name__ == "__main__":
    main()
