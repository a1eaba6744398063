"""The model being served: its version, metrics and confusion matrix, and how versions compare."""

import pandas as pd
import streamlit as st

from {{ cookiecutter.package_name }}.demo.routing import store
{%- if cookiecutter.use_mlflow %}
from {{ cookiecutter.package_name }}.demo.settings import DemoSettings
{%- endif %}
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.store import ModelNotFoundError

st.title("The model")
models = store()
try:
    metadata = models.metadata(Settings().model_version)
except ModelNotFoundError as error:
    st.error(f"{error}.")
    st.stop()

st.caption(f"Version {metadata.version}, trained {metadata.trained_at:%Y-%m-%d %H:%M} UTC")
{%- if cookiecutter.use_mlflow %}
if run := metadata.mlflow_run_id:
    tracking_url = DemoSettings().tracking_url
    link = f"[{run}]({tracking_url.rstrip('/')}/#/runs/{run})" if tracking_url else run
    st.caption(f"MLflow run {link}")
{%- endif %}
columns = st.columns(len(metadata.metrics))
for column, (name, value) in zip(columns, sorted(metadata.metrics.items()), strict=True):
    column.metric(name.replace("_", " "), f"{value:.3f}" if value <= 1 else f"{value:.0f}")

left, right = st.columns(2)
left.subheader("Confusion matrix (held-out messages)")
left.image(models.artifact(metadata.version, "confusion_matrix.png"))
right.subheader("Metrics across stored versions")
history = (
    pd.DataFrame({version: models.metadata(version).metrics for version in models.versions()})
    .T.drop(columns="support", errors="ignore")
    .rename_axis("version")
    .reset_index()
)
# One small chart per metric, its axis fitted to its values: on one shared axis the metrics lie
# within a few hundredths of each other and their lines hide one another.
for name in history.columns.drop("version"):
    right.vega_lite_chart(
        history[["version", name]],
        {
            "title": name.replace("_", " "),
            "height": 120,
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {
                "x": {
                    "field": "version",
                    "type": "ordinal",
                    "sort": None,
                    "axis": {"labels": False, "ticks": False},
                    "title": "stored versions, oldest first",
                },
                "y": {"field": name, "type": "quantitative", "scale": {"zero": False}, "title": ""},
            },
        },
        width="stretch",
    )
