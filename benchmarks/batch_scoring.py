"""Benchmark: batch scoring on Dask against the single-process command line (target on a 2-core
machine: at least 1.6 times the single-process rate; memory per worker independent of the input).

Bakes a project with the scale component, installs and trains it, generates messages from the
bundled ones (each made unique by a number), then scores them twice: with `predict --input` in
one process, and with `python -m <package>.scale batch-predict` on the embedded LocalCluster (one
worker process per CPU). For each it prints messages per second over the whole command (start-up
included) and, for the cluster, over the scoring alone (from the line that says the cluster is up
to the end); and the peak resident memory (VmHWM) of the single process and of each worker.
It does so at two input sizes, to show that a worker's memory does not grow with the input.

Usage: uv run python benchmarks/batch_scoring.py [--sizes 50000 200000]
Prints numbers only; nothing is asserted (targets live in the issues, not in timed tests).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
PACKAGE = "support_ticket_router"
TOGGLES = ("api", "docker", "github_actions", "terraform", "streamlit", "annotation", "mlflow")
GENERATE = """
import sys
import pandas as pd
texts = pd.read_csv("data/messages.csv")["text"].tolist()
count = int(sys.argv[1])
pd.DataFrame({"id": range(count),
              "text": [f"{texts[i % len(texts)]} (#{i})" for i in range(count)]}
             ).to_csv(sys.argv[2], index=False)
"""
CLUSTER_UP = "Scoring "  # the line batch-predict prints once the cluster is up


def environment() -> dict[str, str]:
    variables = dict(os.environ)
    variables.pop("VIRTUAL_ENV", None)
    variables.pop("PYTHONDONTWRITEBYTECODE", None)
    return variables


def run(command: list[str], project: Path) -> None:
    subprocess.run(command, cwd=project, env=environment(), check=True, capture_output=True)


def descendants(root: int) -> list[int]:
    """The processes under `root`, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def peak_mib(pid: int) -> float | None:
    """The peak resident memory of a process so far, in MiB (VmHWM)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def is_worker(pid: int) -> bool:
    """Whether a process is a Dask worker: spawned by multiprocessing, or forked by its fork
    server (whose command line the child keeps)."""
    if b"spawn_main" in command_line(pid):
        return True
    return b"forkserver" in command_line(pid) and b"forkserver" in command_line(parent(pid))


def watched(command: list[str], project: Path) -> tuple[float, float | None, list[float]]:
    """Run `command`; its wall-clock seconds, the seconds since it printed CLUSTER_UP (None if
    it did not), and the peak memory of the command, or of each worker process under it."""
    peaks: dict[int, float] = {}
    start = time.perf_counter()
    up: list[float] = []
    with subprocess.Popen(
        command,
        cwd=project,
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:

        def watch_lines() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                if line.startswith(CLUSTER_UP) and not up:
                    up.append(time.perf_counter())

        reader = threading.Thread(target=watch_lines, daemon=True)
        reader.start()
        while process.poll() is None:
            workers = [pid for pid in descendants(process.pid) if is_worker(pid)]
            for pid in workers or [process.pid]:
                peak = peak_mib(pid)
                if peak is not None:
                    peaks[pid] = max(peak, peaks.get(pid, 0.0))
            time.sleep(0.2)
        reader.join()
    if process.returncode != 0:
        raise RuntimeError(f"{command} failed")
    end = time.perf_counter()
    return end - start, (end - up[0]) if up else None, list(peaks.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000])
    sizes = parser.parse_args().sizes
    cpus = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as workspace:
        off = {f"use_{name}": False for name in TOGGLES}
        project = Path(
            cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=workspace, extra_context=off)
        )
        for command in (["make", "install"], ["make", "train"]):
            run(command, project)
        python = str(project / ".venv" / "bin" / "python")
        print(f"{cpus} CPUs; LocalCluster of {cpus} worker processes, 1 thread each")
        for size in sizes:
            run([python, "-c", GENERATE, str(size), "messages.csv"], project)
            single = [python, "-m", PACKAGE, "predict", "--input", "messages.csv"]
            wall, _, peaks = watched([*single, "--output", "single.csv"], project)
            print(
                f"{size:>9,} messages, one process: {size / wall:8,.0f} messages/s"
                f" ({wall:.1f} s), peak memory {max(peaks):.0f} MiB"
            )
            batch = [python, "-m", f"{PACKAGE}.scale", "batch-predict", "messages.csv", "out"]
            wall, scoring, peaks = watched([*batch, "--overwrite"], project)
            assert scoring is not None
            print(
                f"{size:>9,} messages, LocalCluster: {size / wall:8,.0f} messages/s"
                f" ({wall:.1f} s with start-up), {size / scoring:,.0f} messages/s scoring"
                f" ({scoring:.1f} s); peak memory per worker"
                f" {', '.join(f'{peak:.0f}' for peak in peaks)} MiB"
            )


if __name__ == "__main__":
    main()
