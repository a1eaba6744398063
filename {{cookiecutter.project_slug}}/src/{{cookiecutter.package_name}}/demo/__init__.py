"""The Streamlit demo: route messages, upload a file, look at the model and the data."""
