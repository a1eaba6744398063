"""The demo's entry point: `make demo`, or `streamlit run` on this file."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).parent / "pages"
{{ cookiecutter.project_name | python_constant("PROJECT_NAME") }}

st.set_page_config(page_title=PROJECT_NAME, page_icon=":material/mail:", layout="wide")
page = st.navigation(
    {  # the project's name heads the list of pages in the sidebar
        PROJECT_NAME: [
            st.Page(PAGES / "predict.py", title="Predict", icon=":material/mail:", default=True),
            st.Page(PAGES / "batch.py", title="Batch", icon=":material/table:"),
            st.Page(PAGES / "model.py", title="Model", icon=":material/monitoring:"),
            st.Page(PAGES / "data.py", title="Data", icon=":material/database:"),
{%- if cookiecutter.use_monitoring %}
            st.Page(PAGES / "monitoring.py", title="Monitoring", icon=":material/query_stats:"),
{%- endif %}
        ]
    }
)
page.run()
