"""The output appears whole or not at all, and an existing one is kept unless replaced."""

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.scale.outputs import Output, OutputError


def test_the_output_appears_only_when_committed(tmp_path: Path) -> None:
    output = Output(str(tmp_path / "predictions"), overwrite=False)
    output.start()
    (Path(output.staging) / "part-000000.parquet").write_bytes(b"rows")
    assert not (tmp_path / "predictions").exists()
    output.commit()
    assert [path.name for path in (tmp_path / "predictions").iterdir()] == ["part-000000.parquet"]
    assert [path.name for path in tmp_path.iterdir()] == ["predictions"]


def test_an_existing_output_is_refused_unless_replaced(tmp_path: Path) -> None:
    (tmp_path / "predictions").mkdir()
    (tmp_path / "predictions" / "old.csv").write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match="exists already: give OVERWRITE=1"):
        Output(str(tmp_path / "predictions"), overwrite=False)
    output = Output(str(tmp_path / "predictions"), overwrite=True)
    output.start()
    (Path(output.staging) / "part-000000.csv").write_text("new", encoding="utf-8")
    output.commit()
    assert [path.name for path in (tmp_path / "predictions").iterdir()] == ["part-000000.csv"]
    assert [path.name for path in tmp_path.iterdir()] == ["predictions"]


def test_a_discarded_run_leaves_nothing(tmp_path: Path) -> None:
    output = Output(str(tmp_path / "predictions"), overwrite=False)
    output.start()
    (Path(output.staging) / "part-000000.csv").write_text("half", encoding="utf-8")
    output.discard()
    assert list(tmp_path.iterdir()) == []
