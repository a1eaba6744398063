"""Markdown report of a branch's model metrics next to its base branch's (standard library only).

Usage: python model_report.py BRANCH_METRICS_JSON BASE_METRICS_JSON
A missing file means that side has no model: its column says so instead of failing.
"""

import json
import sys
from pathlib import Path


def read_metrics(path: Path) -> dict[str, float] | None:
    if not path.is_file():
        return None
    metrics: dict[str, float] = json.loads(path.read_text(encoding="utf-8"))
    return metrics


def cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def change(branch: float | None, base: float | None) -> str:
    if branch is None or base is None:
        return "n/a"
    return f"{branch - base:+.3f}"


def report(branch: dict[str, float] | None, base: dict[str, float] | None) -> str:
    """The report as Markdown: one row per metric of either side."""
    lines = ["## Model check", ""]
    if branch is None:
        lines.append("This branch did not produce a model: see the training step's log.")
    if base is None:
        lines.append("The base branch has no model to compare with.")
    names = sorted(set(branch or {}) | set(base or {}))
    lines += ["", "| metric | this branch | base | change |", "| --- | ---: | ---: | ---: |"]
    for name in names:
        mine, theirs = (branch or {}).get(name), (base or {}).get(name)
        lines.append(f"| {name} | {cell(mine)} | {cell(theirs)} | {change(mine, theirs)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    branch_path, base_path = (Path(argument) for argument in sys.argv[1:3])
    print(report(read_metrics(branch_path), read_metrics(base_path)), end="")
