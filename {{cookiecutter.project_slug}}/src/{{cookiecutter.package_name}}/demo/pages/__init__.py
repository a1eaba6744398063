"""The demo's pages; Streamlit runs each as a script (see `demo/app.py`)."""
