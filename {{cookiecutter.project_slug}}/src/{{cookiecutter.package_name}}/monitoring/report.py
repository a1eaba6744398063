"""The report of `make monitor`: one chart per check (PNG), a page that shows them with the
checks (HTML), and the checks for machines (JSON), written to one folder."""

from __future__ import annotations

import html
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from ..settings import Settings
from ..store import ModelMetadata, ModelStore
from .challenger import Comparison, compare
from .drift import (
    LABELS,
    NUMBERS,
    OUTCOME,
    Check,
    Floats,
    Outcome,
    Profile,
    drift_checks,
    label_shares,
    outcome,
    outcome_check,
)
from .settings import MonitoringSettings
from .sink import LogSink
from .window import Window, reference_profile, served_window

PAGE = "index.html"
CHECKS = "checks.json"
REFERENCE, SERVED = "training data", "served"
COLOURS = {REFERENCE: "#9aa5b1", SERVED: "#1f6feb"}
STATUS_COLOURS = {"passed": "#1a7f37", "failed": "#cf222e", "skipped": "#6e7781"}
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 60rem; }
table { border-collapse: collapse; margin: 1rem 0; }
td, th { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; text-align: left; }
img { max-width: 100%; display: block; margin: 1rem 0; }
"""


@dataclass(frozen=True)
class Report:
    """Everything the report shows."""

    window: Window
    reference: Profile
    metadata: ModelMetadata
    live: Outcome
    checks: list[Check]
    comparison: Comparison | None  # with a challenger scored in shadow

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if check.status == "failed"]


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def _titled(figure: Figure, check: Check) -> None:
    figure.suptitle(f"{check} ({check.status})", color=STATUS_COLOURS[check.status])


def labels_png(reference: Profile, served: Profile, labels: Sequence[str], check: Check) -> bytes:
    """The share of each label in the training data and among the served predictions."""
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.subplots()
    positions = np.arange(len(labels))
    for offset, (name, profile) in zip(
        (-0.2, 0.2), ((REFERENCE, reference), (SERVED, served)), strict=True
    ):
        shares = label_shares(profile.labels, labels)
        axes.bar(positions + offset, shares, width=0.4, label=name, color=COLOURS[name])
    axes.set_xticks(positions, labels, rotation=30, ha="right")
    axes.set_ylabel("share of messages")
    axes.legend()
    _titled(figure, check)
    return _png(figure)


def histogram_png(reference: Floats, served: Floats, axis: str, check: Check) -> bytes:
    """Two distributions of one number, on the same bins."""
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.subplots()
    values = np.concatenate([reference, served])
    bins = np.histogram_bin_edges(values, bins=30).tolist() if len(values) else 30
    for name, sample in ((REFERENCE, reference), (SERVED, served)):
        if len(sample):
            weights = np.full(len(sample), 1 / len(sample))
            axes.hist(
                sample, bins=bins, weights=weights, alpha=0.6, label=name, color=COLOURS[name]
            )
    axes.set_xlabel(axis)
    axes.set_ylabel("share of messages")
    axes.legend()
    _titled(figure, check)
    return _png(figure)


def outcome_png(held_out: dict[str, float], live: Outcome, check: Check) -> bytes:
    """Accuracy and macro-F1 on the held-out messages and on the feedback."""
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.subplots()
    positions = np.arange(2)
    axes.bar(
        positions - 0.2,
        [held_out["accuracy"], held_out["macro_f1"]],
        width=0.4,
        label="held-out messages",
        color=COLOURS[REFERENCE],
    )
    if live.accuracy is not None and live.macro_f1 is not None:
        axes.bar(
            positions + 0.2,
            [live.accuracy, live.macro_f1],
            width=0.4,
            label=f"feedback ({live.feedback} answers)",
            color=COLOURS[SERVED],
        )
    axes.set_xticks(positions, ["accuracy", "macro-F1"])
    axes.set_ylim(0, 1)
    axes.legend(loc="lower right")
    _titled(figure, check)
    return _png(figure)


def charts(report: Report) -> dict[str, bytes]:
    """One PNG per check, by file name."""
    reference, served = report.reference, report.window.profile
    checks = {check.name: check for check in report.checks}
    images = {"labels.png": labels_png(reference, served, report.metadata.labels, checks[LABELS])}
    for name, axis in NUMBERS.items():
        samples = reference.numbers[name], served.numbers[name]
        images[f"{name.replace(' ', '_')}.png"] = histogram_png(*samples, axis, checks[name])
    images["feedback.png"] = outcome_png(report.metadata.metrics, report.live, checks[OUTCOME])
    return images


def page(report: Report, images: Sequence[str]) -> str:
    """The HTML page: what was compared, the checks, the charts."""
    window = report.window
    others = {
        version: count
        for version, count in window.served_by_version.items()
        if version != window.version
    }
    rows = "\n".join(
        f"<tr><td>{html.escape(check.name)}</td><td>{html.escape(check.measure)}</td>"
        f"<td>{'' if check.value is None else f'{check.value:.3f}'}</td>"
        f"<td>{check.threshold:g}</td>"
        f"<td>{'' if check.p_value is None else f'{check.p_value:.2g}'}</td>"
        f'<td style="color:{STATUS_COLOURS[check.status]}"><b>{check.status}</b>'
        f" {html.escape(check.reason)}</td></tr>"
        for check in report.checks
    )
    figures = "\n".join(
        f'<img src="{html.escape(name)}" alt="{html.escape(name)}">' for name in images
    )
    other_versions = (
        "<p>Also served in this window: "
        + html.escape(
            ", ".join(f"{version} ({count})" for version, count in sorted(others.items()))
        )
        + "</p>"
        if others
        else ""
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Monitoring: version {html.escape(window.version)}, {window.since} to {window.until}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>Monitoring: version {html.escape(window.version)}</h1>
<p>{len(window.predictions)} predictions from {window.since} to {window.until} (UTC), with
{report.live.feedback} true labels sent back, compared with the {len(report.reference.labels)}
messages the version was trained on and its predictions of the messages held out from it.</p>
{other_versions}
<table>
<tr><th>Check</th><th>Measure</th><th>Value</th><th>Threshold</th><th>p-value</th><th>Status</th></tr>
{rows}
</table>
{comparison_html(report.comparison)}{figures}
</body>
</html>
"""


def summary(report: Report) -> dict[str, object]:
    """The checks and what they compared, for machines (a scheduled job, an alert)."""
    window = report.window
    return {
        "version": window.version,
        "since": str(window.since),
        "until": str(window.until),
        "predictions": len(window.predictions),
        "feedback": report.live.feedback,
        "live": {"accuracy": report.live.accuracy, "macro_f1": report.live.macro_f1},
        "challenger": None if report.comparison is None else comparison_summary(report.comparison),
        "checks": [
            {
                "name": check.name,
                "measure": check.measure,
                "value": check.value,
                "threshold": check.threshold,
                "p_value": check.p_value,
                "status": check.status,
                "reason": check.reason,
            }
            for check in report.checks
        ],
    }


def comparison_summary(comparison: Comparison) -> dict[str, object]:
    """The challenger's comparison, for machines."""
    return {
        "champion": comparison.champion,
        "challenger": comparison.challenger,
        "requests": comparison.requests,
        "agreement": comparison.agreement,
        "confidence": list(comparison.confidence),
        "answers": comparison.answers,
        "scores": {
            name: {
                side: {"value": interval.value, "low": interval.low, "high": interval.high}
                for side, interval in zip(
                    ("champion", "challenger", "difference"), intervals, strict=True
                )
            }
            for name, intervals in comparison.scores.items()
        },
    }


def comparison_html(comparison: Comparison | None) -> str:
    """The challenger's section of the page (empty without one)."""
    if comparison is None:
        return ""
    [summary, *rest] = comparison.lines()
    rows = "\n".join(
        f"<tr><td>{html.escape(name)}</td>"
        + "".join(f"<td>{interval}</td>" for interval in intervals)
        + "</tr>"
        for name, intervals in comparison.scores.items()
    )
    table = (
        "<table><tr><th>Metric (95 % interval)</th><th>Champion</th><th>Challenger</th>"
        f"<th>Difference</th></tr>\n{rows}\n</table>"
        if rows
        else f"<p>{html.escape(rest[0].strip())}</p>"
    )
    return f"<h2>Challenger</h2>\n<p>{html.escape(summary)}</p>\n{table}\n"


def write_report(report: Report, folder: Path) -> Path:
    """Write the charts, the page and the checks to `folder`; the page's path."""
    folder.mkdir(parents=True, exist_ok=True)
    images = charts(report)
    for name, content in images.items():
        (folder / name).write_bytes(content)
    (folder / CHECKS).write_text(json.dumps(summary(report), indent=2) + "\n", encoding="utf-8")
    (folder / PAGE).write_text(page(report, list(images)), encoding="utf-8")
    return folder / PAGE


def make_report(
    settings: Settings,
    monitoring: MonitoringSettings,
    since: date,
    until: date,
    version: str | None = None,
) -> Report:
    """Compare what `version` (by default, the version that served most) served from `since` to
    `until` with the data it was trained on and held out from."""
    store = ModelStore(settings.model_store)
    sink = LogSink(monitoring.log_url)
    window = served_window(sink, since, until, store.resolve(version) if version else None)
    reference, metadata = reference_profile(settings, store, window.version)
    answers = window.answers
    checks = drift_checks(reference, window.profile, metadata.labels, monitoring)
    checks.append(outcome_check(metadata.metrics["macro_f1"], answers, monitoring))
    comparison = compare(window, monitoring.live_minimum)
    return Report(window, reference, metadata, outcome(answers), checks, comparison)
