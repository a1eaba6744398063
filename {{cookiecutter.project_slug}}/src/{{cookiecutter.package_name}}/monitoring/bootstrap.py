"""Bootstrap resampling of served requests, for intervals and tests of metrics on feedback."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from sklearn.metrics import f1_score

RESAMPLES = 1000
Labels = npt.NDArray[np.str_]


def resamples(size: int, seed: int = 0) -> list[npt.NDArray[np.int64]]:
    """RESAMPLES draws, with replacement, of `size` positions out of `size`."""
    rng = np.random.default_rng(seed)
    return [rng.integers(0, size, size) for _ in range(RESAMPLES)]


def macro_f1(true: Labels, predicted: Labels) -> float:
    """The mean F1 of the labels among `true` and `predicted`."""
    return float(f1_score(true, predicted, average="macro", zero_division=0))
