"""The challenger against the champion on the same requests: how often they agree, how sure
each is, and on the requests with feedback, the accuracy and macro-F1 of each and of their
difference, with 95 % bootstrap intervals (the requests resampled, both models together)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .bootstrap import Codes, accuracy, encode, macro_f1, resamples
from .window import Window

Labels = npt.NDArray[np.str_]
METRICS: dict[str, Callable[[Codes, Codes], float]] = {
    "accuracy": accuracy,
    "macro-F1": macro_f1,
}


@dataclass(frozen=True)
class Interval:
    """A value with its 95 % bootstrap interval."""

    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


@dataclass(frozen=True)
class Comparison:
    """The champion (the version served) and the challenger (scored in shadow) side by side."""

    champion: str
    challenger: str
    requests: int  # scored by both
    agreement: float  # share of those given the same label
    confidence: tuple[float, float]  # mean confidence of the champion, of the challenger
    answers: int  # of those requests, how many have feedback
    # By metric: the champion's, the challenger's, and the challenger's minus the champion's.
    scores: dict[str, tuple[Interval, Interval, Interval]]

    def lines(self) -> list[str]:
        """The comparison as a person reads it."""
        found = [
            f"Challenger {self.challenger} against {self.champion}, on {self.requests} requests"
            f" both scored: same label for {self.agreement:.1%}; mean confidence"
            f" {self.confidence[0]:.3f} against {self.confidence[1]:.3f}.",
        ]
        if not self.scores:
            return [*found, f"  {self.answers} of them have feedback: too few to score."]
        found.append(f"  On the {self.answers} with feedback (95 % intervals):")
        for name, (champion, challenger, difference) in self.scores.items():
            found.append(
                f"  {name}: champion {champion}, challenger {challenger}, difference {difference}"
            )
        return found


def _interval(values: npt.NDArray[np.float64], value: float) -> Interval:
    low, high = np.percentile(values, [2.5, 97.5])
    return Interval(value, float(low), float(high))


def scores(
    true: Labels, champion: Labels, challenger: Labels, seed: int = 0
) -> dict[str, tuple[Interval, Interval, Interval]]:
    """Each metric of both models and of their difference, with bootstrap intervals."""
    truth, ours, theirs = encode(true, champion, challenger)
    # By metric, for each resample: the champion's value and the challenger's.
    resampled: dict[str, list[tuple[float, float]]] = {name: [] for name in METRICS}
    for sample in resamples(len(truth), seed):
        for name, metric in METRICS.items():
            resampled[name].append(
                (metric(truth[sample], ours[sample]), metric(truth[sample], theirs[sample]))
            )
    found = {}
    for name, metric in METRICS.items():
        first, second = np.array(resampled[name]).T
        value, other = metric(truth, ours), metric(truth, theirs)
        found[name] = (
            _interval(first, value),
            _interval(second, other),
            _interval(second - first, other - value),
        )
    return found


def compare(
    window: Window, minimum_answers: int, challenger: str | None = None
) -> Comparison | None:
    """The challenger (by default, the one that scored most of the window) against the version
    the window served; None when no challenger scored its requests."""
    if window.shadow.empty:
        return None
    versions = window.shadow["model_version"].value_counts()
    challenger = challenger or str(versions.index[0])
    shadow = window.shadow[window.shadow["model_version"] == challenger]
    if shadow.empty:
        return None
    paired = window.predictions.merge(
        shadow.drop_duplicates("request_id")[["request_id", "label", "confidence"]],
        on="request_id",
        suffixes=("", "_challenger"),
    )
    answered = paired[paired["request_id"].isin(window.true_labels)]
    true = answered["request_id"].map(window.true_labels).to_numpy(np.str_)
    return Comparison(
        champion=window.version,
        challenger=challenger,
        requests=len(paired),
        agreement=float((paired["label"] == paired["label_challenger"]).mean()),
        confidence=(
            float(paired["confidence"].mean()),
            float(paired["confidence_challenger"].mean()),
        ),
        answers=len(answered),
        scores=(
            scores(
                true,
                answered["label"].to_numpy(np.str_),
                answered["label_challenger"].to_numpy(np.str_),
            )
            if len(answered) >= minimum_answers
            else {}
        ),
    )
