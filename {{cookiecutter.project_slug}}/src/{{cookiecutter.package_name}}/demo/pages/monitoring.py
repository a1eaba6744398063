"""What the API served: the checks and charts of `make monitor`, for a window of days."""

import pandas as pd
import streamlit as st

from {{ cookiecutter.package_name }}.errors import DataValidationError
from {{ cookiecutter.package_name }}.monitoring.report import charts, make_report
from {{ cookiecutter.package_name }}.monitoring.settings import MonitoringSettings
from {{ cookiecutter.package_name }}.monitoring.window import MonitorError, last_days
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.store import ModelNotFoundError

st.title("Monitoring")
monitoring = MonitoringSettings()
days = st.slider("Days of traffic, up to today (UTC)", 1, 90, 7)
try:
    report = make_report(Settings(), monitoring, *last_days(days))
except (MonitorError, ModelNotFoundError, DataValidationError, OSError) as error:
    st.info(f"No report: {error}. Predictions served by the API appear here once logged.")
    st.stop()

window = report.window
st.caption(
    f"Version {window.version}: {len(window.predictions):,} predictions and"
    f" {report.live.feedback:,} answers from {window.since} to {window.until}"
    f", from {monitoring.log_url}"
)
if report.failed:
    names = ", ".join(check.name for check in report.failed)
    st.error(f"Drift: {names} past the threshold.")
else:
    st.success("No check failed.")
checks = pd.DataFrame(
    {
        "check": [check.name for check in report.checks],
        "status": [check.status for check in report.checks],
        "result": [str(check).removeprefix(f"{check.name}: ") for check in report.checks],
    }
)
st.dataframe(checks, hide_index=True)
left, right = st.columns(2)
for index, image in enumerate(charts(report).values()):
    (left if index % 2 == 0 else right).image(image)
