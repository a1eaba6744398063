"""Benchmark: how long baking the all-on project takes, and how long its own tests run, as its
README says: `make install`, then `make test` (twice) and `make coverage`.

Usage: uv run python benchmarks/bake_and_test.py [--bakes N] [--skip-make-test]
       [--ccds-template PATH]
Prints numbers only; nothing is asserted (targets live in the issues, not in timed tests).

With `--ccds-template` (a checkout of cookiecutter-data-science, whose `ccds` command otherwise
clones it from GitHub), it also times both bakes as users type them, in alternation:
`uvx cookiecutter --no-input <this template>` against `uvx --from cookiecutter-data-science ccds
--no-input <checkout>`, and prints the ratio (the target: at most 0.75).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
CCDS = "cookiecutter-data-science==2.3.0"


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


def compare_with_ccds(ccds_template: Path, bakes: int, root: Path) -> None:
    """Median wall time of both command-line bakes, each in a folder of its own."""
    commands = {
        "fullstack-ds": [
            "uvx",
            f"cookiecutter=={version('cookiecutter')}",
            "--no-input",
            str(TEMPLATE_DIR),
        ],
        "ccds": ["uvx", "--from", CCDS, "ccds", "--no-input", str(ccds_template.resolve())],
    }
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for n in range(bakes + 1):  # the first round warms uv's cache
        for name, command in commands.items():
            folder = root / f"{name}-{n}"
            folder.mkdir()
            elapsed = time_command(command, folder)
            if n:
                timings[name].append(elapsed)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, median in medians.items():
        print(f"command-line bake, {name}: median {median:.2f} s over {bakes}")
    print(f"fullstack-ds all-on / ccds default: {medians['fullstack-ds'] / medians['ccds']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bakes", type=int, default=15, help="number of timed bakes")
    parser.add_argument("--skip-make-test", action="store_true", help="only time baking")
    parser.add_argument("--ccds-template", type=Path, help="a cookiecutter-data-science checkout")
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
        if options.ccds_template:
            compare_with_ccds(options.ccds_template, options.bakes, root)
        if options.skip_make_test:
            return
        project = root / "bake-0" / "support-ticket-router"
        print(f"make install (creates .venv): {time_command(['make', 'install'], project):.1f} s")
        for run in ("first", "second"):
            print(f"make test ({run} run): {time_command(['make', 'test'], project):.1f} s")
        print(f"make coverage: {time_command(['make', 'coverage'], project):.1f} s")


if __name__ == "__main__":
    main()
