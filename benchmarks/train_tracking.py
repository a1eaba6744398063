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
import resource
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


def make_train(project: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, of every process it starts) of `make train`:
    the CPU time says more than the wall clock on a machine that other work keeps busy."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        ["make", "train"], cwd=project, env=environment(), check=True, capture_output=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


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
        wall, cpu = make_train(tracked)
        print(f"first make train with MLflow (creates mlruns/): {wall:.1f} s, CPU {cpu:.1f} s")
        timings: dict[Path, list[tuple[float, float]]] = {without: [], tracked: []}
        for _ in range(options.runs):
            for baked in (without, tracked):
                timings[baked].append(make_train(baked))
        medians = {}
        for baked, name in ((without, "without"), (tracked, "with")):
            walls, cpus = zip(*timings[baked], strict=True)
            medians[baked] = statistics.median(walls), statistics.median(cpus)
            runs = ", ".join(f"{w:.1f}/{c:.1f}" for w, c in timings[baked])
            print(
                f"make train {name} MLflow: median {medians[baked][0]:.2f} s, CPU"
                f" {medians[baked][1]:.2f} s (wall/CPU of each: {runs})"
            )
        print(
            f"MLflow adds {medians[tracked][0] - medians[without][0]:.2f} s, CPU"
            f" {medians[tracked][1] - medians[without][1]:.2f} s (target: under 3 s)"
        )


if __name__ == "__main__":
    main()
