"""A part is scored as `predict --input` scores a file, with the model loaded once per worker."""

from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }}.prediction import predict
from {{ cookiecutter.package_name }}.scale.batch import Job, score_part, worker_model
from {{ cookiecutter.package_name }}.scale.inputs import list_files, plan_parts
from {{ cookiecutter.package_name }}.scale.outputs import Output
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.spreadsheets import spreadsheet_csv
from {{ cookiecutter.package_name }}.store import ModelStore
from {{ cookiecutter.package_name }}.training import TrainingResult
from {{ cookiecutter.package_name }}.uploads import read_texts, with_predictions

ROWS = (
    "text,label,model_version,channel\n"
    "my parcel never arrived,shipping,v0,mail\n"
    '"=HYPERLINK(""http://x"")",?,v0,chat\n'
    "I was charged twice,billing,v0,phone\n"
)


def test_a_part_is_scored_like_predict_input(
    tmp_path: Path, trained: tuple[Settings, TrainingResult]
) -> None:
    settings, result = trained
    version = result.metadata.version
    (tmp_path / "in.csv").write_text(ROWS, encoding="utf-8")
    output = Output(str(tmp_path / "out"), overwrite=False)
    output.start()
    (part,) = plan_parts(list_files(str(tmp_path / "in.csv")), 10**9)
    for output_format in ("csv", "parquet"):
        job = Job(settings.model_store, version, output.staging, output_format)
        assert score_part(part, job) == 3
    output.commit()

    frame = read_texts(ROWS.encode("utf-8"))
    scorer = ModelStore(settings.model_store).load_scorer(version).model
    expected = with_predictions(frame, predict(scorer, frame["text"].tolist()))
    expected.insert(2, "model_version_input", expected.pop("model_version"))
    expected["model_version"] = version
    written = (tmp_path / "out" / "part-000000.csv").read_text(encoding="utf-8")
    assert written == spreadsheet_csv(expected)
    assert written.splitlines()[0] == (
        "text,label_input,model_version_input,channel,label,confidence,model_version"
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "out" / "part-000000.parquet"), expected
    )


def test_the_model_is_loaded_once_per_worker(trained: tuple[Settings, TrainingResult]) -> None:
    settings, result = trained
    first = worker_model(settings.model_store, result.metadata.version)
    assert worker_model(settings.model_store, result.metadata.version) is first


def test_a_task_of_a_stopped_run_writes_nothing(
    tmp_path: Path, trained: tuple[Settings, TrainingResult]
) -> None:
    settings, result = trained
    (tmp_path / "in.csv").write_text(ROWS, encoding="utf-8")
    (part,) = plan_parts(list_files(str(tmp_path / "in.csv")), 10**9)
    output = Output(str(tmp_path / "out"), overwrite=False)
    output.start()
    output.discard()  # another part failed, or Ctrl-C, while this one was being scored
    job = Job(settings.model_store, result.metadata.version, output.staging, "parquet")
    assert score_part(part, job) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.csv"]


def test_a_part_that_cannot_be_read_returns_why(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("text,id\nhello,1\n,2\n", encoding="utf-8")
    (part,) = plan_parts(list_files(str(tmp_path / "in.csv")), 10**9)
    job = Job(str(tmp_path / "models"), "v1", str(tmp_path / "out"), "parquet")
    assert (
        score_part(part, job)
        == f"{tmp_path / 'in.csv'}: 1 row(s) with an empty `text` (lines from byte 0)"
    )
