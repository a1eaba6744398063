import pytest
from prometheus_client import CollectorRegistry

from {{ cookiecutter.package_name }}.monitoring.live import LiveMetrics


def gauges(registry: CollectorRegistry) -> dict[str, float | None]:
    return {
        name: registry.get_sample_value(name, {"window": "4"})
        for name in ("live_accuracy", "live_macro_f1")
    }


def test_live_metrics_appear_with_enough_feedback_over_the_latest_window() -> None:
    registry = CollectorRegistry()
    live = LiveMetrics(window=4, minimum=3, registry=registry)
    live.add("billing", "billing")
    live.add("shipping", "billing")
    assert gauges(registry) == {"live_accuracy": None, "live_macro_f1": None}
    live.add("shipping", "shipping")
    assert gauges(registry)["live_accuracy"] == pytest.approx(2 / 3)
    for _ in range(4):  # the first three fall out of the window
        live.add("billing", "billing")
    assert gauges(registry) == {"live_accuracy": 1.0, "live_macro_f1": 1.0}
