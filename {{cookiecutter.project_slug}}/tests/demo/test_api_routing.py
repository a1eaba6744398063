"""The demo routing through the running API (DEMO_API_URL), served by uvicorn on loopback."""

import sys

import pytest
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..api.servers import serving
from ..support import free_port
from .test_pages import DEMO

KEY = "demo-key-0123456789"


def page(name: str) -> AppTest:
    return AppTest.from_file(str(DEMO / "pages" / f"{name}.py"), default_timeout=30).run()


def test_predict_and_batch_go_through_the_api_with_its_key(
    trained: tuple[Settings, TrainingResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, result = trained
    port = free_port()
    app = "{{ cookiecutter.package_name }}.api.app:create_app"
    command = [sys.executable, "-m", "uvicorn", "--factory", "--port", str(port), app]
    with serving(command, port, settings, api_key=KEY) as url:
        monkeypatch.setenv(f"{ENV_PREFIX}DEMO_API_URL", url)
        monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", "/nowhere")  # only the API has the model
        monkeypatch.setenv(f"{ENV_PREFIX}DEMO_API_KEY", KEY)
        predict = page("predict")
        predict.text_area[0].input("Where is my parcel? It has not arrived")
        predict.button[0].click().run()
        batch = page("batch")
        content = b"text\n" + b"I was charged twice\n" * 300  # more than one API batch
        batch.file_uploader[0].set_value(("messages.csv", content, "text/csv")).run()

        monkeypatch.setenv(f"{ENV_PREFIX}DEMO_API_KEY", "not-the-key")
        refused = page("predict")
    assert not predict.exception
    assert predict.metric[0].value == "shipping"
    assert result.metadata.version in predict.caption[0].value
    assert not predict.dataframe  # the words are explained in-process only
    assert batch.dataframe[0].value["label"].tolist() == ["billing"] * 300
    assert not refused.exception
    assert f"refused the key: set {ENV_PREFIX}DEMO_API_KEY" in refused.error[0].value


def test_a_stopped_api_is_explained_in_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}DEMO_API_URL", f"http://127.0.0.1:{free_port()}")
    app = page("predict")
    assert not app.exception
    assert "does not answer" in app.error[0].value
