import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.monitoring.cli import app
from {{ cookiecutter.package_name }}.monitoring.drift import LABELS, NUMBERS, OUTCOME
from {{ cookiecutter.package_name }}.monitoring.report import make_report, write_report
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.store import StoredModel
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..test_startup import HEAVY_LIBRARIES, imported_by
from .traffic import (
    SHIPPING,
    held_out_texts,
    monitoring_settings,
    report_environment,
    serve,
)


def test_traffic_like_the_training_data_passes_and_the_report_shows_it(
    trained: tuple[Settings, TrainingResult], model: StoredModel, tmp_path: Path
) -> None:
    settings = trained[0]
    serve(settings, model, tmp_path / "log", held_out_texts(settings, model))
    today = datetime.now(UTC).date()
    report = make_report(settings, monitoring_settings(tmp_path / "log"), today, today)
    assert {check.name: check.status for check in report.checks} == dict.fromkeys(
        [LABELS, *NUMBERS, OUTCOME], "passed"
    )
    page = write_report(report, tmp_path / "report")
    assert page == tmp_path / "report" / "index.html"
    charts = sorted(path.name for path in page.parent.glob("*.png"))
    assert charts == sorted(
        ["labels.png", "confidence.png", "text_length.png", "unseen_words.png", "feedback.png"]
    )
    assert all(path.read_bytes().startswith(b"\x89PNG") for path in page.parent.glob("*.png"))
    html = page.read_text(encoding="utf-8")
    assert f"Monitoring: version {model.metadata.version}" in html
    assert all(f'<img src="{chart}"' in html for chart in charts)
    summary = json.loads((page.parent / "checks.json").read_text(encoding="utf-8"))
    assert summary["version"] == model.metadata.version
    assert [check["status"] for check in summary["checks"]] == ["passed"] * 5


@pytest.fixture
def environment(
    trained: tuple[Settings, TrainingResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Settings from the environment, as `make monitor` reads them; the report's folder."""
    report_environment(monkeypatch, trained[0], tmp_path)
    return tmp_path / "report"


def test_the_command_fails_naming_the_checks_past_their_threshold(
    trained: tuple[Settings, TrainingResult], model: StoredModel, environment: Path, tmp_path: Path
) -> None:
    serve(trained[0], model, tmp_path / "log", SHIPPING, wrong=len(SHIPPING) // 2)
    result = CliRunner().invoke(app, ["report"])
    assert result.exit_code == 1, result.output
    assert f"Version {model.metadata.version}: {len(SHIPPING)} predictions and" in result.output
    assert "  failed   predicted labels: Jensen-Shannon distance" in result.output
    assert "  failed   macro-F1 from feedback: drop below the held-out macro-F1" in result.output
    assert "error: drift: predicted labels, " in result.output
    assert result.output.rstrip().endswith(
        "macro-F1 from feedback past the threshold (see the report)"
    )
    assert (environment / "index.html").exists()
    summary = json.loads((environment / "checks.json").read_text(encoding="utf-8"))
    assert summary["checks"][0] | {"value": None, "p_value": None} == {
        "name": LABELS,
        "measure": "Jensen-Shannon distance",
        "value": None,
        "threshold": 0.1,
        "p_value": None,
        "status": "failed",
        "reason": "",
    }


def test_the_command_says_why_it_cannot_make_a_report(
    trained: tuple[Settings, TrainingResult], model: StoredModel, environment: Path, tmp_path: Path
) -> None:
    empty = CliRunner().invoke(app, ["report"])
    assert empty.exit_code == 2
    assert empty.output.startswith(f"error: the prediction log {tmp_path / 'log'} holds no")
    serve(trained[0], model, tmp_path / "log", SHIPPING[:3])
    old = CliRunner().invoke(app, ["report", "--until", "2020-01-31", "--days", "3"])
    assert old.exit_code == 2
    assert "holds no prediction from 2020-01-29 to 2020-01-31" in old.output
    unknown = CliRunner().invoke(app, ["report", "--version", "20200101-000000-000000"])
    assert unknown.exit_code == 2
    assert "Traceback" not in unknown.output + old.output + empty.output
    assert not environment.exists()


def test_the_report_help_imports_no_heavy_library() -> None:
    module = "{{ cookiecutter.package_name }}.monitoring"
    assert not imported_by("report", "--help", module=module) & HEAVY_LIBRARIES
