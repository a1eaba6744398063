"""What the model routes: the label set comes from the data, and this is the longest message."""

MAX_TEXT_LENGTH = 5000
