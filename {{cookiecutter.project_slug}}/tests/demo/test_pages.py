"""Every page of the demo, run headless with Streamlit's AppTest against a trained model."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import {{ cookiecutter.package_name }}.demo
from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings
{%- if cookiecutter.use_mlflow %}
from {{ cookiecutter.package_name }}.store import ModelMetadata
{%- endif %}
from {{ cookiecutter.package_name }}.training import TrainingResult

from ..support import write_texts

DEMO = Path({{ cookiecutter.package_name }}.demo.__file__).parent
EXAMPLES = [f"Example message number {number}" for number in range(5)]


def page(name: str) -> AppTest:
    return AppTest.from_file(str(DEMO / "pages" / f"{name}.py"), default_timeout=30).run()


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    return write_texts(tmp_path / "examples.csv", EXAMPLES)


@pytest.fixture
def served(
    trained: tuple[Settings, TrainingResult], examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages read the settings from the environment, as when `make demo` runs them."""
    settings, _ = trained
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", settings.model_store)
    monkeypatch.setenv(f"{ENV_PREFIX}TRAINING_DATA", json.dumps(settings.training_data))
    monkeypatch.setenv(f"{ENV_PREFIX}UNLABELLED_DATA", str(settings.unlabelled_data))
    monkeypatch.setenv(f"{ENV_PREFIX}DEMO_EXAMPLES", str(examples))


@pytest.fixture
def untrained(tmp_path: Path, examples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", str(tmp_path / "empty-store"))
    monkeypatch.setenv(f"{ENV_PREFIX}DEMO_EXAMPLES", str(examples))


def test_the_app_opens_on_the_predict_page(served: None) -> None:
    app = AppTest.from_file(str(DEMO / "app.py"), default_timeout=30).run()
    assert not app.exception
    assert app.title[0].value == "Predict the label of a message"


def test_predict_routes_a_message_and_explains_it(served: None) -> None:
    app = page("predict")
    app.text_area[0].input("I was charged twice for my order, please refund me")
    app.button[0].click().run()
    assert not app.exception
    assert app.metric[0].value == "billing"
    assert "Model version" in app.caption[0].value
    words = app.dataframe[0].value
    assert list(words.columns) == ["word", "weight"]
    assert len(words) > 0


def test_predict_offers_examples_and_refuses_an_empty_message(served: None) -> None:
    app = page("predict")
    offered = app.selectbox[0].options
    assert offered == ["", *EXAMPLES]  # none, then the examples file
    app.selectbox[0].select(offered[3]).run()
    assert app.text_area[0].value == offered[3]
    app.text_area[0].input("   ")
    app.button[0].click().run()
    assert app.warning[0].value == "Type a message first."


def test_predict_explains_an_examples_file_it_cannot_read(
    served: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "examples.csv"
    broken.write_text("message\nhello\n", encoding="utf-8")
    monkeypatch.setenv(f"{ENV_PREFIX}DEMO_EXAMPLES", str(broken))
    app = page("predict")
    assert not app.exception
    assert "no `text` column" in app.warning[0].value
    assert app.selectbox[0].options == [""]


def test_batch_routes_a_file_and_offers_the_result(served: None) -> None:
    app = page("batch")
    content = b"ticket,text\n007,Where is my parcel?\nA2,I was charged twice\n"
    app.file_uploader[0].set_value(("messages.csv", content, "text/csv")).run()
    assert not app.exception
    table = app.dataframe[0].value
    assert table.columns.tolist() == ["ticket", "text", "label", "confidence"]
    assert table["ticket"].tolist() == ["007", "A2"]
    assert table["text"].tolist() == ["Where is my parcel?", "I was charged twice"]
    assert table["label"].tolist() == ["shipping", "billing"]
    assert "Routed 2 messages" in app.success[0].value
    assert app.get("download_button")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"message\nhello\n", "no `text` column"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a UTF-8 CSV file"),
        (b"text\n" + b"a long message\n" * 6000, "the limit is 5,000"),
    ],
    ids=["wrong-column", "not-csv", "too-many-rows"],
)
def test_batch_explains_a_bad_file_in_the_page(served: None, content: bytes, message: str) -> None:
    app = page("batch")
    app.file_uploader[0].set_value(("upload.csv", content, "text/csv")).run()
    assert not app.exception
    assert message in app.error[0].value
    assert not app.dataframe


def test_batch_refuses_a_file_over_the_size_limit(
    served: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}DEMO_MAX_UPLOAD_BYTES", "100")
    app = page("batch")
    app.file_uploader[0].set_value(("big.csv", b"text\n" + b"x" * 200, "text/csv")).run()
    assert "the limit is 100" in app.error[0].value


def test_model_shows_version_metrics_matrix_and_history(
    served: None, trained: tuple[Settings, TrainingResult]
) -> None:
    _, result = trained
    app = page("model")
    assert not app.exception
    assert result.metadata.version in app.caption[0].value
    assert {metric.label for metric in app.metric} >= {"macro f1", "accuracy"}
    assert app.get("image")
    # One chart per metric, each with markers and an axis fitted to its values, so none hides
    # another: on one shared axis from zero, the metrics' lines lay on top of each other.
    charts = [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]
    assert [chart["title"] for chart in charts] == ["accuracy", "macro f1", "weighted f1"]
    for chart in charts:
        assert chart["mark"]["point"] is True
        assert chart["encoding"]["y"]["scale"]["zero"] is False


{%- if cookiecutter.use_mlflow %}


def test_model_shows_its_run_and_links_to_it_given_the_tracking_server(
    served: None, tracked: tuple[Settings, ModelMetadata], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, metadata = tracked
    monkeypatch.setenv(f"{ENV_PREFIX}MODEL_STORE", settings.model_store)
    run = metadata.mlflow_run_id
    assert page("model").caption[1].value == f"MLflow run {run}"
    monkeypatch.setenv(f"{ENV_PREFIX}DEMO_TRACKING_URL", "http://mlflow.example.com/")
    link = f"[{run}](http://mlflow.example.com/#/runs/{run})"
    assert page("model").caption[1].value == f"MLflow run {link}"
{%- endif %}


def test_data_shows_the_label_and_length_distributions(
    served: None, trained: tuple[Settings, TrainingResult]
) -> None:
    app = page("data")
    assert not app.exception
    rows = trained[1].metadata.data.rows
    assert f"{rows:,} labelled messages" in app.caption[0].value
    assert len(app.get("vega_lite_chart")) == 2


@pytest.mark.parametrize("name", ["predict", "batch", "model"])
def test_pages_say_to_train_first_without_a_model(untrained: None, name: str) -> None:
    app = page(name)
    if name == "batch":
        app.file_uploader[0].set_value(("m.csv", b"text\nhello\n", "text/csv")).run()
    assert not app.exception
    assert "make train" in app.error[0].value
