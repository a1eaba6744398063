"""Benchmark: how fast the command line answers (targets: `--help` under 0.5 s, one prediction
under 1.5 s, `make train`'s first line within a second).

Bakes the default project, installs and trains it, then times, as medians of a few runs, the
command line's `--help` and one prediction, each run directly from `.venv/bin` and through
`uv run` (as `make` does), and the time until `make train` prints its first line. Next to each
wall-clock time it prints the CPU time of the command's processes, which other work on a shared
machine disturbs far less.

Usage: uv run python benchmarks/cli_latency.py [--runs N]
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
PACKAGE = "support_ticket_router"
MESSAGE = "Where is my parcel? It has not arrived"
FIRST_LINE = "Training on"  # what `train` prints before it loads any training library


def environment() -> dict[str, str]:
    variables = dict(os.environ)
    variables.pop("VIRTUAL_ENV", None)
    # As on a user's machine: Python caches compiled modules, without which importing
    # scikit-learn alone takes seconds.
    variables.pop("PYTHONDONTWRITEBYTECODE", None)
    return variables


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def seconds(command: list[str], project: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of `command`."""
    start, cpu = time.perf_counter(), children_cpu_seconds()
    subprocess.run(command, cwd=project, env=environment(), check=True, capture_output=True)
    return time.perf_counter() - start, children_cpu_seconds() - cpu


def median_seconds(command: list[str], project: Path, runs: int) -> str:
    walls, cpus = zip(*(seconds(command, project) for _ in range(runs)), strict=True)
    low, middle, high = min(walls), statistics.median(walls), max(walls)
    cpu = statistics.median(cpus)
    return f"median {middle:.2f} s (min {low:.2f}, max {high:.2f}), CPU {cpu:.2f} s"


def first_line_seconds(project: Path) -> tuple[float, float]:
    """Seconds until `make train` prints its first line of progress, and until it is done."""
    start = time.perf_counter()
    with subprocess.Popen(
        ["make", "train"],
        cwd=project,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as training:
        assert training.stdout is not None
        first = None
        for line in training.stdout:
            if first is None and FIRST_LINE in line:
                first = time.perf_counter() - start
    if training.returncode != 0 or first is None:
        raise RuntimeError(f"make train failed or never printed {FIRST_LINE!r}")
    return first, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        project = Path(cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=scratch))
        subprocess.run(["make", "install"], cwd=project, env=environment(), check=True)
        first, total = first_line_seconds(project)  # also trains the model the predictions use
        print(f"make train: first line after {first:.2f} s, done after {total:.1f} s")
        cli = str(project / ".venv" / "bin" / PACKAGE)
        predict = [cli, "predict", MESSAGE]
        seconds(predict, project)  # warm-up
        print(f"{PACKAGE} --help: {median_seconds([cli, '--help'], project, options.runs)}")
        uv_help = ["uv", "run", PACKAGE, "--help"]
        print(f"uv run {PACKAGE} --help: {median_seconds(uv_help, project, options.runs)}")
        print(f"{PACKAGE} predict: {median_seconds(predict, project, options.runs)}")
        make_predict = ["make", "predict", f"TEXT={MESSAGE}"]
        print(f"make predict: {median_seconds(make_predict, project, options.runs)}")


if __name__ == "__main__":
    main()
