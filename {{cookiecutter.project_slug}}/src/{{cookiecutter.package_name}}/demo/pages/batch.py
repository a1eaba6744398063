"""Predict the labels of a CSV file of messages and download the result."""

import streamlit as st

from {{ cookiecutter.package_name }}.demo.routing import RoutingError, router
from {{ cookiecutter.package_name }}.demo.settings import DemoSettings
from {{ cookiecutter.package_name }}.spreadsheets import spreadsheet_csv
from {{ cookiecutter.package_name }}.uploads import (
    TEXT_COLUMN,
    UploadError,
    read_texts,
    with_predictions,
)

st.title("Predict the labels of a file of messages")
limits = DemoSettings()
upload = st.file_uploader(
    f"A CSV file with a `{TEXT_COLUMN}` column (other columns are kept),"
    f" at most {limits.max_upload_rows:,} messages",
    type=["csv"],
)
if upload is None:
    st.stop()
try:
    rows = read_texts(upload.getvalue(), limits.max_upload_bytes, limits.max_upload_rows)
    current = router()
    predictions = current.route(rows[TEXT_COLUMN].tolist())
except (UploadError, RoutingError) as error:
    st.error(str(error))
    st.stop()

table = with_predictions(rows, predictions)
st.success(f"Routed {len(table):,} messages with model version {current.version}.")
st.dataframe(table, hide_index=True)
st.download_button(
    "Download the predictions",
    spreadsheet_csv(table).encode("utf-8"),
    file_name="predictions.csv",
    mime="text/csv",
)
