"""Predict the label of one message: the label, the probability of every label, and the words
that decided."""

import pandas as pd
import streamlit as st

from {{ cookiecutter.package_name }}.demo.examples import load_examples
from {{ cookiecutter.package_name }}.demo.explain import words_for
from {{ cookiecutter.package_name }}.demo.routing import LocalRouter, RoutingError, router
from {{ cookiecutter.package_name }}.demo.settings import DemoSettings
from {{ cookiecutter.package_name }}.uploads import UploadError

st.title("Predict the label of a message")
try:
    current = router()
except RoutingError as error:
    st.error(str(error))
    st.stop()

examples_file = DemoSettings().examples
try:
    examples = load_examples(examples_file)
except UploadError as error:
    st.warning(f"No examples from {examples_file}: {error}")
    examples = []
example = st.selectbox("Start from an example", ["", *examples], index=0)
with st.form("route"):
    text = st.text_area("Message", value=example, height=120, max_chars=5000)
    routed = st.form_submit_button("Predict", type="primary")

if routed:
    if not text.strip():
        st.warning("Type a message first.")
        st.stop()
    try:
        [prediction] = current.route([text])
    except RoutingError as error:
        st.error(str(error))
        st.stop()
    left, right = st.columns(2)
    left.metric("Label", prediction.label)
    left.caption(f"{prediction.confidence:.0%} sure. Model version {current.version}")
    probabilities = pd.DataFrame({"probability": prediction.probabilities}).sort_values(
        "probability", ascending=False
    )
    right.bar_chart(probabilities, horizontal=True)
    if isinstance(current, LocalRouter):
        weights = words_for(current.model.pipeline, text, prediction.label)
        if weights is None:
            st.caption(
                "This model has no weight per word to explain its answer with (a TF-IDF"
                " vectorizer followed by a linear classifier has)."
            )
        elif weights:
            st.subheader("Words that pointed to this label")
            table = pd.DataFrame([(entry.word, entry.weight) for entry in weights])
            st.dataframe(table.set_axis(["word", "weight"], axis=1), hide_index=True)
        else:
            st.caption("No known word pointed to this label; the character patterns decided.")
