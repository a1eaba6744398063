"""The training data: how many messages each label has, and how long they are."""

from itertools import pairwise

import numpy as np
import pandas as pd
import streamlit as st

from {{ cookiecutter.package_name }}.data import DataValidationError, load_training_data
from {{ cookiecutter.package_name }}.settings import Settings

st.title("The training data")
try:
    frame = load_training_data(Settings().training_data)
except DataValidationError as error:
    st.error(str(error))
    st.stop()

st.caption(f"{len(frame):,} labelled messages")
left, right = st.columns(2)
left.subheader("Messages per label")
left.bar_chart(frame["label"].value_counts().sort_index())
right.subheader("Message length (characters)")
lengths = frame["text"].str.len()
counts, edges = np.histogram(lengths, bins=20)
bins = [f"{int(low)}-{int(high)}" for low, high in pairwise(edges)]
right.bar_chart(pd.DataFrame({"messages": counts}, index=pd.Index(bins, name="length")))
