"""`make batch-predict` on a cluster of worker processes: the single-process predictions, row for
row, from a CSV glob or a Parquet dataset; bad inputs and existing outputs refused, with nothing
written."""

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from {{ cookiecutter.package_name }}.cli import app as main_app
from {{ cookiecutter.package_name }}.scale.cli import app

from ..support import PROJECT_ROOT, TOPICS

runner = CliRunner()


def messages(count: int, start: int = 0) -> pd.DataFrame:
    """Messages of every team, with an id column carried to the output."""
    texts = [text for topics in TOPICS.values() for text in topics]
    return pd.DataFrame(
        {
            "id": [f"m{number}" for number in range(start, start + count)],
            "text": [
                f"{texts[number % len(texts)]} ({number})" for number in range(start, start + count)
            ],
        }
    )


def read_output(folder: Path) -> pd.DataFrame:
    """The output's part files, in part order."""
    files = sorted(folder.iterdir())
    if files[0].suffix == ".csv":
        return pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files])
    return pd.concat([pd.read_parquet(file) for file in files], ignore_index=True)


def single_process(workspace: Path, frame: pd.DataFrame) -> pd.DataFrame:
    """What `predict --input` writes for the same messages."""
    frame.to_csv(workspace / "all.csv", index=False)
    result = runner.invoke(main_app, ["predict", "--input", "all.csv", "--output", "single.csv"])
    assert result.exit_code == 0, result.output
    return pd.read_csv(workspace / "single.csv", dtype=str, keep_default_na=False)


def test_a_csv_glob_gives_the_single_process_predictions_row_for_row(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "inbox").mkdir()
    for day in range(3):
        messages(40, start=40 * day).to_csv(workspace / "inbox" / f"day-{day}.csv", index=False)
    monkeypatch.setenv("DASK_PART_BYTES", "500")  # several parts per file

    result = runner.invoke(app, ["batch-predict", "inbox/day-*.csv", "out", "--format", "csv"])

    assert result.exit_code == 0, result.output
    assert "Wrote 120 predictions" in result.output
    scored = read_output(workspace / "out").reset_index(drop=True)
    expected = single_process(workspace, messages(120))
    assert len(list((workspace / "out").iterdir())) > 3
    pd.testing.assert_frame_equal(scored.drop(columns="model_version"), expected)
    assert scored["model_version"].nunique() == 1


def test_a_parquet_dataset_keeps_its_columns_and_types(workspace: Path) -> None:
    dataset = workspace / "dataset"
    dataset.mkdir()
    for number in range(2):
        frame = messages(30, start=30 * number).assign(stars=range(30))
        frame.to_parquet(dataset / f"part-{number}.parquet", index=False, row_group_size=10)

    result = runner.invoke(app, ["batch-predict", "dataset", "out", "--version", "latest"])

    assert result.exit_code == 0, result.output
    scored = read_output(workspace / "out")
    assert list(scored.columns) == ["id", "text", "stars", "label", "confidence", "model_version"]
    assert scored["stars"].dtype == "int64"
    expected = single_process(workspace, messages(60))
    assert scored["id"].tolist() == expected["id"].tolist()
    assert scored["label"].tolist() == expected["label"].tolist()
    assert scored["confidence"].tolist() == expected["confidence"].astype(float).tolist()


def test_an_invalid_file_stops_the_run_naming_it_and_nothing_is_written(
    workspace: Path,
) -> None:
    (workspace / "inbox").mkdir()
    messages(20).to_csv(workspace / "inbox" / "a.csv", index=False)
    (workspace / "inbox" / "b.csv").write_text("id,text\nx1,hello\nx2,\n", encoding="utf-8")

    result = runner.invoke(app, ["batch-predict", "inbox", "out"])

    assert result.exit_code == 1
    assert "b.csv: 1 row(s) with an empty `text`" in result.output
    assert "Traceback" not in result.output
    assert sorted(path.name for path in workspace.iterdir()) == ["inbox"]


def test_an_existing_output_is_refused_unless_overwritten(workspace: Path) -> None:
    messages(10).to_csv(workspace / "in.csv", index=False)
    (workspace / "out").mkdir()
    (workspace / "out" / "keep.txt").write_text("mine", encoding="utf-8")

    refused = runner.invoke(app, ["batch-predict", "in.csv", "out"])
    assert refused.exit_code == 1
    assert "out exists already: give OVERWRITE=1" in refused.output
    assert [path.name for path in (workspace / "out").iterdir()] == ["keep.txt"]

    replaced = runner.invoke(app, ["batch-predict", "in.csv", "out", "--overwrite"])
    assert replaced.exit_code == 0, replaced.output
    assert [path.name for path in (workspace / "out").iterdir()] == ["part-000000.parquet"]


@pytest.mark.parametrize(
    ("arguments", "environment", "error"),
    [
        (["--version", "v404"], {}, "no model version or alias 'v404'"),
        (["--format", "xlsx"], {}, "--format must be one of: parquet, csv"),
        ([], {"DASK_CLUSTER": "moon"}, "setting cluster: Value error, 'moon' is not one of"),
{%- if not (cookiecutter.use_terraform and cookiecutter.use_docker) %}
        ([], {"DASK_CLUSTER": "fargate"}, "fargate needs the AWS infrastructure and image"),
{%- endif %}
    ],
)
def test_bad_options_are_refused_in_one_line(
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    environment: dict[str, str],
    error: str,
) -> None:
    messages(5).to_csv(workspace / "in.csv", index=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["batch-predict", "in.csv", "out", *arguments])
    assert result.exit_code == 1
    assert error in result.output
    assert "Traceback" not in result.output
    assert not (workspace / "out").exists()


def test_make_batch_predict_without_input_says_how_and_fails() -> None:
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(PROJECT_ROOT), "batch-predict"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "make batch-predict INPUT=data/unlabelled.csv OUTPUT=predictions" in result.stderr
