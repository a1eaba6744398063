import numpy as np
import pytest

from {{ cookiecutter.package_name }}.monitoring.drift import (
    CONFIDENCE,
    LABELS,
    LENGTH,
    NUMBERS,
    OUTCOME,
    UNSEEN_WORDS,
    Check,
    Outcome,
    Profile,
    drift_checks,
    numeric_drift,
    outcome,
    outcome_check,
)
from {{ cookiecutter.package_name }}.monitoring.settings import MonitoringSettings

LABEL_NAMES = ["billing", "returns", "shipping"]
SETTINGS = MonitoringSettings(_env_file=None, report_minimum=100, live_minimum=30)


def profile(size: int, seed: int, labels: list[str] | None = None, shift: float = 0.0) -> Profile:
    """`size` messages with labels in equal shares (or `labels`) and numbers drawn from the
    same distributions, moved by `shift` standard deviations."""
    rng = np.random.default_rng(seed)
    return Profile(
        labels or [LABEL_NAMES[i % len(LABEL_NAMES)] for i in range(size)],
        {
            CONFIDENCE: rng.beta(8, 2, size) - shift * 0.12,
            LENGTH: rng.normal(60, 12, size) + shift * 12,
            UNSEEN_WORDS: rng.beta(1, 9, size) + shift * 0.09,
        },
    )


def statuses(checks: list[Check]) -> dict[str, str]:
    return {check.name: check.status for check in checks}


def test_traffic_drawn_like_the_reference_passes_every_check() -> None:
    checks = drift_checks(profile(300, 1), profile(500, 2), LABEL_NAMES, SETTINGS)
    assert statuses(checks) == dict.fromkeys([LABELS, *NUMBERS], "passed")
    assert all(check.p_value is not None and check.p_value > 0.01 for check in checks)


def test_a_label_mix_unlike_the_reference_fails_the_label_check() -> None:
    served = profile(200, 2, labels=["shipping"] * 180 + ["billing"] * 20)
    checks = drift_checks(profile(300, 1), served, LABEL_NAMES, SETTINGS)
    assert statuses(checks) == {LABELS: "failed"} | dict.fromkeys(NUMBERS, "passed")
    assert str(checks[0]).startswith("predicted labels: Jensen-Shannon distance 0.")
    assert "> 0.1 (p = " in str(checks[0])


@pytest.mark.parametrize("name", list(NUMBERS))
def test_numbers_moved_half_a_standard_deviation_fail_their_check(name: str) -> None:
    moved = profile(200, 2, shift=0.5)
    served = Profile(moved.labels, profile(200, 2).numbers | {name: moved.numbers[name]})
    checks = drift_checks(profile(300, 1), served, LABEL_NAMES, SETTINGS)
    assert statuses(checks) == {name: "failed"} | {
        other: "passed" for other in [LABELS, *NUMBERS] if other != name
    }


def test_a_large_distance_on_a_few_messages_could_be_chance_and_passes() -> None:
    reference = np.linspace(0.0, 1.0, 12)
    served = reference + 0.1
    check = Check(CONFIDENCE, "", numeric_drift(reference, served), 0.1, "", 0.9, 0.01)
    assert check.value is not None and check.value > 0.1
    assert check.status == "passed"
    assert str(check).endswith("(p = 0.9, could be chance)")


def test_a_reference_that_does_not_vary_is_measured_on_a_minimum_scale() -> None:
    assert numeric_drift(np.zeros(10), np.full(10, 0.002)) == pytest.approx(2.0)


def test_too_few_predictions_skip_every_drift_check_and_say_why() -> None:
    checks = drift_checks(profile(300, 1), profile(99, 2), LABEL_NAMES, SETTINGS)
    assert statuses(checks) == dict.fromkeys([LABELS, *NUMBERS], "skipped")
    assert str(checks[0]) == "predicted labels: skipped, 99 predictions, fewer than 100"


def test_a_number_without_values_is_skipped_alone() -> None:
    served = profile(150, 2)
    served.numbers[UNSEEN_WORDS] = np.array([], dtype=np.float64)
    checks = drift_checks(profile(300, 1), served, LABEL_NAMES, SETTINGS)
    assert statuses(checks)[UNSEEN_WORDS] == "skipped"
    assert statuses(checks)[LENGTH] == "passed"


def test_the_outcome_check_compares_feedback_with_the_held_out_macro_f1() -> None:
    right = [(label, label) for label in LABEL_NAMES * 10]
    assert outcome_check(0.9, right, SETTINGS).status == "passed"
    half_wrong = right[:15] + [("billing", "returns")] * 15
    failed = outcome_check(0.9, half_wrong, SETTINGS)
    assert failed.status == "failed"
    assert failed.value is not None and failed.value > 0.1
    assert failed.p_value is not None and failed.p_value < 0.01
    assert str(failed).startswith("macro-F1 from feedback: drop below the held-out macro-F1")
    few = outcome_check(0.9, half_wrong[:29], SETTINGS)
    assert (few.status, few.reason) == ("skipped", "29 answers, fewer than 30")
    assert outcome([]) == Outcome(0, None, None)
    assert failed.name == OUTCOME


def test_a_drop_that_few_answers_cannot_tell_from_chance_passes_until_more_confirm_it() -> None:
    """One answer in six wrong (half the billing messages taken for returns): a macro-F1 of
    0.82, against 0.95 held out."""
    answers = [
        ("returns" if number % 6 == 0 else label, label)
        for number, label in enumerate(LABEL_NAMES * 10)
    ]
    few = outcome_check(0.95, answers, SETTINGS)
    assert few.value is not None and few.value > 0.1
    assert few.status == "passed"
    assert str(few).endswith("could be chance)")
    many = outcome_check(0.95, answers * 10, SETTINGS)
    assert many.value == pytest.approx(few.value)
    assert many.status == "failed"
