"""What the drift checks compare of a message besides its prediction, computed the same way for
served messages (as they are logged) and for the messages a model was held out from."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..features import CHARACTER_MARK, words


def known_words(pipeline: Any) -> frozenset[str]:
    """The words a fitted pipeline has a feature for (seen in at least two training messages)."""
    vocabulary: dict[str, int] = pipeline[0].vocabulary_
    return frozenset(
        term for term in vocabulary if not term.startswith(CHARACTER_MARK) and " " not in term
    )


def unseen_word_share(text: str, known: Collection[str]) -> float | None:
    """The share of a text's words the model has no feature for; None for a text without words."""
    found = words(text)
    if not found:
        return None
    return sum(word not in known for word in found) / len(found)
