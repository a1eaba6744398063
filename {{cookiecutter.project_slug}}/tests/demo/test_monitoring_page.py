"""The demo's Monitoring page, run headless with Streamlit's AppTest on a logged window."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import {{ cookiecutter.package_name }}.demo
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.store import LATEST, ModelStore, StoredModel
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..monitoring.traffic import SHIPPING, held_out_texts, report_environment, serve

PAGE = Path({{ cookiecutter.package_name }}.demo.__file__).parent / "pages" / "monitoring.py"


@pytest.fixture
def log(
    trained: tuple[Settings, TrainingResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The page reads the settings from the environment, as when `make demo` runs it."""
    report_environment(monkeypatch, trained[0], tmp_path)
    return tmp_path / "log"


@pytest.fixture(scope="module")
def model(trained: tuple[Settings, TrainingResult]) -> StoredModel:
    return ModelStore(trained[0].model_store).load(LATEST)


def test_the_page_shows_the_checks_and_charts_of_make_monitor(
    trained: tuple[Settings, TrainingResult], model: StoredModel, log: Path
) -> None:
    serve(trained[0], model, log, held_out_texts(trained[0], model))
    page = AppTest.from_file(str(PAGE), default_timeout=30).run()
    assert not page.exception
    assert page.title[0].value == "Monitoring"
    assert page.caption[0].value.startswith(f"Version {model.metadata.version}: ")
    assert page.success[0].value == "No check failed."
    checks = page.dataframe[0].value
    assert list(checks["status"]) == ["passed"] * 5
    assert len(page.get("image")) == 5


def test_the_page_names_the_checks_that_failed(
    trained: tuple[Settings, TrainingResult], model: StoredModel, log: Path
) -> None:
    serve(trained[0], model, log, SHIPPING)
    page = AppTest.from_file(str(PAGE), default_timeout=30).run()
    assert not page.exception
    assert page.error[0].value.startswith("Drift: predicted labels")


def test_the_page_says_why_there_is_no_report(log: Path) -> None:
    page = AppTest.from_file(str(PAGE), default_timeout=30).run()
    assert not page.exception
    assert page.info[0].value.startswith(f"No report: the prediction log {log} holds no")
