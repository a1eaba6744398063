"""The demo routing through the running API (DEMO_API_URL), served by uvicorn on loopback."""

import sys

import pytest
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..api.servers import free_port, serving
from .test_pages import DEMO


def test_predict_and_batch_go_through_the_api(
    trained: tuple[Settings, TrainingResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, result = trained
    port = free_port()
    app = "{{ cookiecutter.package_name }}.api.app:create_app"
    command = [sys.executable, "-m", "uvicorn", "--factory", "--port", str(port), app]
    with serving(command, port, settings) as url:
        monkeypatch.setenv(f"{ENV_PREFIX}DEMO_API_URL", url)
        monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", "/nowhere")  # only the API has the model
        page = AppTest.from_file(str(DEMO / "pages" / "predict.py"), default_timeout=30).run()
        page.text_area[0].input("Where is my parcel? It has not arrived")
        page.button[0].click().run()
        batch = AppTest.from_file(str(DEMO / "pages" / "batch.py"), default_timeout=30).run()
        content = b"text\n" + b"I was charged twice\n" * 300  # more than one API batch
        batch.file_uploader[0].set_value(("messages.csv", content, "text/csv")).run()
    assert not page.exception
    assert page.metric[0].value == "shipping"
    assert result.metadata.version in page.caption[0].value
    assert not page.dataframe  # the words are explained in-process only
    assert batch.dataframe[0].value["team"].tolist() == ["billing"] * 300
