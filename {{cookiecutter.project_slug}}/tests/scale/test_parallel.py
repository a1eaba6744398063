"""Cross-validation on the configured cluster (joblib's Dask backend) scores as it does here."""

from pathlib import Path
from typing import Any

import pytest
from distributed import Client

from {{ cookiecutter.package_name }}.data import load_training_data
from {{ cookiecutter.package_name }}.errors import DataValidationError
from {{ cookiecutter.package_name }}.scale.parallel import (
    cross_validated_macro_f1,
    stratified_folds,
)
from {{ cookiecutter.package_name }}.settings import ModelParams, Settings
from {{ cookiecutter.package_name }}.training import TrainingResult, train

from ..support import make_settings, write_training_data


def fold_tasks(scheduler: str) -> int:
    """How many fold tasks (batches of `fold_macro_f1` calls) the cluster has run."""

    def count(dask_scheduler: Any) -> int:
        return sum(
            prefix.state_counts["processing"]
            for name, prefix in dask_scheduler.task_prefixes.items()
            if name.startswith("batch_of_fold_macro_f1")
        )

    with Client(scheduler) as client:
        return int(client.run_on_scheduler(count))


def test_folds_on_the_cluster_score_as_folds_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheduler: str
) -> None:
    frame = load_training_data([str(write_training_data(tmp_path / "data.csv"))], None)
    texts, labels = frame["text"].tolist(), frame["label"].tolist()
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    before = fold_tasks(scheduler)
    here = cross_validated_macro_f1(ModelParams(), 7, texts, labels, 3)
    assert fold_tasks(scheduler) == before

    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", scheduler)
    on_cluster = cross_validated_macro_f1(ModelParams(), 7, texts, labels, 3)

    assert fold_tasks(scheduler) == before + 3
    assert on_cluster == here
    assert 0 < here <= 1


def test_training_records_the_cross_validated_macro_f1_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trained: tuple[Settings, TrainingResult]
) -> None:
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    result = train(make_settings(tmp_path, cv_folds=2))
    assert 0.5 < result.metadata.metrics["cv_macro_f1"] <= 1
    assert "cv_macro_f1" not in trained[1].metadata.metrics  # 0 folds, the default


def test_more_folds_than_the_rarest_label_has_messages_are_refused() -> None:
    with pytest.raises(DataValidationError, match="3 folds with 2 messages of the rarest label"):
        stratified_folds(["a", "a", "b", "b", "b"], 3, 0)
{%- if cookiecutter.use_mlflow %}


def test_tuning_runs_the_folds_of_its_trials_on_the_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheduler: str
) -> None:
    from {{ cookiecutter.package_name }}.experiments.tuning import tune

    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", scheduler)
    before = fold_tasks(scheduler)
    result = tune(make_settings(tmp_path), trials=2, timeout=None, folds=2)

    assert fold_tasks(scheduler) == before + 2 * 2  # two trials of two folds
    assert result.completed + result.pruned == 2
{%- endif %}
