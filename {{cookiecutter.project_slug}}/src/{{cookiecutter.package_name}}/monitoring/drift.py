"""The checks of `make monitor`: served traffic against the data of the model that served it.

A drift check fails when two things hold. The difference is large: the Jensen-Shannon distance
(base 2, from 0 to 1) between label shares, or the Wasserstein distance between numbers in
standard deviations of the reference, passes its threshold (Evidently's measures and defaults).
And it is not chance: a chi-square test of the label counts, or a two-sample Kolmogorov-Smirnov
test of the numbers, gives a p-value below MAX_P_VALUE. A distance alone is noisy on a hundred
predictions, and a test alone fails on a trivial difference among a million. Computed with SciPy.
The outcome check follows the same rule: the macro-F1 from feedback fell more than its threshold
below the held-out one, and few bootstrap resamples of the answers reach the held-out one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance
from sklearn.metrics import accuracy_score, f1_score

from .bootstrap import RESAMPLES, encode, macro_f1, resamples
from .settings import MonitoringSettings

Floats = npt.NDArray[np.float64]
# A reference that hardly varies is compared on this scale instead (as Evidently does).
MINIMUM_STD = 0.001


LABELS, OUTCOME = "predicted labels", "macro-F1 from feedback"
# The numbers compared, by check: what they measure, as a chart's axis says it.
CONFIDENCE, LENGTH, UNSEEN_WORDS = "confidence", "text length", "unseen words"
NUMBERS = {
    CONFIDENCE: "confidence of the predicted label",
    LENGTH: "characters",
    UNSEEN_WORDS: "share of the words the model has no feature for",
}
MEASURES = {
    LABELS: "Jensen-Shannon distance",
    **dict.fromkeys(NUMBERS, "Wasserstein distance (std)"),
    OUTCOME: "drop below the held-out macro-F1",
}


@dataclass(frozen=True)
class Profile:
    """What is compared of a set of messages: their labels (true ones for the reference, predicted
    ones for the traffic) and one sample of each of NUMBERS."""

    labels: Sequence[str]
    numbers: dict[str, Floats]


@dataclass(frozen=True)
class Outcome:
    """How the served predictions did against the true labels sent back."""

    feedback: int
    accuracy: float | None
    macro_f1: float | None


@dataclass(frozen=True)
class Check:
    """One check: its measure, its value (None when skipped, `reason` says why) and threshold,
    and for a drift check the p-value of its test and the most that counts as significant."""

    name: str
    measure: str
    value: float | None
    threshold: float
    reason: str = ""
    p_value: float | None = None
    max_p_value: float = 1.0

    @property
    def status(self) -> str:
        if self.value is None:
            return "skipped"
        large = self.value > self.threshold
        significant = self.p_value is None or self.p_value < self.max_p_value
        return "failed" if large and significant else "passed"

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.name}: skipped, {self.reason}"
        sign = ">" if self.value > self.threshold else "<="
        text = f"{self.name}: {self.measure} {self.value:.3f} {sign} {self.threshold:g}"
        if self.p_value is None:
            return text
        large, significant = self.value > self.threshold, self.p_value < self.max_p_value
        chance = ", could be chance" if large and not significant else ""
        return f"{text} (p = {self.p_value:.2g}{chance})"


def label_shares(labels: Sequence[str], order: Sequence[str]) -> Floats:
    """The share of each label of `order` among `labels`."""
    counts = Counter(labels)
    total = max(len(labels), 1)
    return np.array([counts[label] / total for label in order], dtype=np.float64)


def label_drift(reference: Sequence[str], served: Sequence[str], order: Sequence[str]) -> float:
    """Jensen-Shannon distance between the label shares of two sets."""
    return float(jensenshannon(label_shares(reference, order), label_shares(served, order), base=2))


def label_p_value(reference: Sequence[str], served: Sequence[str], order: Sequence[str]) -> float:
    """Chi-square test that two sets of labels are drawn from the same shares."""
    counts = np.array(
        [[Counter(labels)[label] for label in order] for labels in (reference, served)]
    )
    counts = counts[:, counts.sum(axis=0) > 0]
    if counts.shape[1] < 2:
        return 1.0
    return float(chi2_contingency(counts).pvalue)


def numeric_drift(reference: Floats, served: Floats) -> float:
    """Wasserstein distance between two samples, in standard deviations of the reference."""
    scale = max(float(np.std(reference)), MINIMUM_STD)
    return float(wasserstein_distance(reference, served)) / scale


def numeric_p_value(reference: Floats, served: Floats) -> float:
    """Two-sample Kolmogorov-Smirnov test that two samples are drawn from the same distribution."""
    return float(ks_2samp(reference, served).pvalue)


def outcome(pairs: Sequence[tuple[str, str]]) -> Outcome:
    """Accuracy and macro-F1 of (predicted, true) pairs."""
    if not pairs:
        return Outcome(0, None, None)
    predicted, true = zip(*pairs, strict=True)
    macro = f1_score(true, predicted, average="macro", zero_division=0)
    return Outcome(len(pairs), float(accuracy_score(true, predicted)), float(macro))


def macro_f1_p_value(pairs: Sequence[tuple[str, str]], reference: float) -> float:
    """How likely the model behind the (predicted, true) pairs is still as good as the
    `reference` macro-F1: the share of bootstrap resamples of the pairs that reach it."""
    predicted, true = encode(*zip(*pairs, strict=True))
    reached = sum(
        macro_f1(true[sample], predicted[sample]) >= reference for sample in resamples(len(pairs))
    )
    return (reached + 1) / (RESAMPLES + 1)


def drift_checks(
    reference: Profile, served: Profile, labels: Sequence[str], settings: MonitoringSettings
) -> list[Check]:
    """The label check, then a check of each of NUMBERS; skipped when too little was served."""
    thresholds = {
        LABELS: settings.max_label_drift,
        CONFIDENCE: settings.max_confidence_drift,
        LENGTH: settings.max_length_drift,
        UNSEEN_WORDS: settings.max_unseen_words_drift,
    }
    if len(served.labels) < settings.report_minimum:
        reason = f"{len(served.labels)} predictions, fewer than {settings.report_minimum}"
        return [Check(name, MEASURES[name], None, thresholds[name], reason) for name in thresholds]
    max_p_value = settings.max_p_value
    distance = label_drift(reference.labels, served.labels, labels)
    p_value = label_p_value(reference.labels, served.labels, labels)
    checks = [
        Check(LABELS, MEASURES[LABELS], distance, thresholds[LABELS], "", p_value, max_p_value)
    ]
    for name in NUMBERS:
        samples = reference.numbers[name], served.numbers[name]
        if min(map(len, samples)) == 0:
            reason = "no value to compare (no message with words)"
            checks.append(Check(name, MEASURES[name], None, thresholds[name], reason))
            continue
        distance, p_value = numeric_drift(*samples), numeric_p_value(*samples)
        check = Check(name, MEASURES[name], distance, thresholds[name], "", p_value, max_p_value)
        checks.append(check)
    return checks


def outcome_check(
    held_out_macro_f1: float, answers: Sequence[tuple[str, str]], settings: MonitoringSettings
) -> Check:
    """How far the macro-F1 of the (predicted, true) answers fell below the held-out one, tested
    when it passes the threshold; skipped with too few answers."""
    live, threshold = outcome(answers), settings.max_macro_f1_drop
    if live.macro_f1 is None or live.feedback < settings.live_minimum:
        reason = f"{live.feedback} answers, fewer than {settings.live_minimum}"
        return Check(OUTCOME, MEASURES[OUTCOME], None, threshold, reason)
    drop = held_out_macro_f1 - live.macro_f1
    if drop <= threshold:
        return Check(OUTCOME, MEASURES[OUTCOME], drop, threshold)
    p_value = macro_f1_p_value(answers, held_out_macro_f1)
    return Check(OUTCOME, MEASURES[OUTCOME], drop, threshold, "", p_value, settings.max_p_value)
