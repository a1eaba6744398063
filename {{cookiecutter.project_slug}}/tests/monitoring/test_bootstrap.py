import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from {{ cookiecutter.package_name }}.monitoring.bootstrap import (
    RESAMPLES,
    accuracy,
    encode,
    macro_f1,
    resamples,
)

LABELS = np.array(["billing", "returns", "shipping", "account"])


@pytest.mark.parametrize("seed", range(20))
def test_the_metrics_on_codes_are_scikit_learns(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 60))
    # Some labels only true, some only predicted, some in neither.
    true = rng.choice(LABELS[: rng.integers(1, 5)], size)
    predicted = np.where(rng.random(size) < 0.7, true, rng.choice(LABELS, size))
    true_codes, predicted_codes = encode(true, predicted)
    assert macro_f1(true_codes, predicted_codes) == pytest.approx(
        f1_score(true, predicted, average="macro", zero_division=0)
    )
    assert accuracy(true_codes, predicted_codes) == pytest.approx(accuracy_score(true, predicted))


def test_the_same_label_has_the_same_code_everywhere() -> None:
    first, second = encode(["b", "a", "b"], ["a", "c"])
    assert first.tolist() == [1, 0, 1]
    assert second.tolist() == [0, 2]


def test_resamples_are_seeded_draws_of_positions() -> None:
    drawn = list(resamples(5, seed=3))
    assert len(drawn) == RESAMPLES
    assert all(len(sample) == 5 and set(sample) <= set(range(5)) for sample in drawn)
    assert all((a == b).all() for a, b in zip(drawn, resamples(5, seed=3), strict=True))
    assert any((a != b).any() for a, b in zip(drawn, resamples(5, seed=4), strict=True))
