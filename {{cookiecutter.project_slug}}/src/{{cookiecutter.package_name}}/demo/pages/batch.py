"""Route a CSV file of messages and download the result."""

import pandas as pd
import streamlit as st

from {{ cookiecutter.package_name }}.demo.routing import RoutingError, router
from {{ cookiecutter.package_name }}.demo.settings import DemoSettings
from {{ cookiecutter.package_name }}.demo.uploads import TEXT_COLUMN, UploadError, read_upload
from {{ cookiecutter.package_name }}.spreadsheets import spreadsheet_csv

st.title("Route a file of messages")
limits = DemoSettings()
upload = st.file_uploader(
    f"A CSV file with a `{TEXT_COLUMN}` column, at most {limits.max_upload_rows:,} messages",
    type=["csv"],
)
if upload is None:
    st.stop()
try:
    texts = read_upload(upload.getvalue(), limits.max_upload_bytes, limits.max_upload_rows)
    current = router()
    predictions = current.route(texts)
except (UploadError, RoutingError) as error:
    st.error(str(error))
    st.stop()

table = pd.DataFrame(
    {
        TEXT_COLUMN: texts,
        "team": [prediction.label for prediction in predictions],
        "confidence": [round(prediction.confidence, 3) for prediction in predictions],
    }
)
st.success(f"Routed {len(table):,} messages with model version {current.version}.")
st.dataframe(table, hide_index=True)
st.download_button(
    "Download the predictions",
    spreadsheet_csv(table).encode("utf-8"),
    file_name="predictions.csv",
    mime="text/csv",
)
