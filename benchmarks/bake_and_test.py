"""Benchmark: how long baking the all-on project takes, and how long its own `make test` runs.

Usage: uv run python benchmarks/bake_and_test.py [--bakes N] [--skip-make-test]
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


def bake_once(output_dir: Path) -> tuple[float, Path]:
    start = time.perf_counter()
    project = cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=str(output_dir))
    return time.perf_counter() - start, Path(project)


def time_command(command: list[str], cwd: Path) -> float:
    environment = dict(os.environ)
    environment.pop("VIRTUAL_ENV", None)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=environment, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bakes", type=int, default=15, help="number of timed bakes")
    parser.add_argument("--skip-make-test", action="store_true", help="only time baking")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        bake_once(root / "warm-up")
        timings = [bake_once(root / f"bake-{n}")[0] for n in range(options.bakes)]
        print(
            f"bake all-on: median {statistics.median(timings):.3f} s, "
            f"min {min(timings):.3f} s, max {max(timings):.3f} s over {len(timings)} bakes"
        )
        files = sum(1 for path in (root / "bake-0").rglob("*") if path.is_file())
        print(f"bake all-on: {files} files generated")
        if options.skip_make_test:
            return
        project = root / "bake-0" / "support-ticket-router"
        print(
            f"make test (first run, creates .venv): {time_command(['make', 'test'], project):.1f} s"
        )
        print(f"make test (second run): {time_command(['make', 'test'], project):.1f} s")


if __name__ == "__main__":
    main()
