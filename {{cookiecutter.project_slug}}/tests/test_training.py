import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.data import DataValidationError
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.store import LATEST, ModelStore
from {{ cookiecutter.package_name }}.training import (
    TRAIN_IDS_FILE,
    TrainingResult,
    code_version,
    evaluate_stored,
    stored_split,
    train,
)

from .support import FRAMINGS, LABELS, make_settings, write_training_data, write_unlearnable_data


def test_training_stores_a_complete_promoted_version(
    trained: tuple[Settings, TrainingResult],
) -> None:
    settings, result = trained
    store = ModelStore(settings.model_store)
    metadata = store.metadata(LATEST)
    assert result.promoted
    assert metadata == result.metadata
    assert metadata.metrics["macro_f1"] >= settings.min_macro_f1
    assert len(metadata.data.sha256) == 64
    assert metadata.data.rows == 240
    assert metadata.labels == LABELS
    assert metadata.params["regularization_c"] == settings.params.regularization_c
    assert {"python", "scikit-learn", "pandas"} <= set(metadata.libraries)
    assert metadata.code.package_version != "not installed"
    for name in ("metrics.json", "classification_report.txt", "confusion_matrix.png"):
        assert store.artifact(LATEST, name)
        assert (settings.reports_dir / name).is_file()
    stored_metrics = json.loads(store.artifact(LATEST, "metrics.json"))
    assert stored_metrics == metadata.metrics


def test_re_evaluation_reproduces_the_training_metrics(
    trained: tuple[Settings, TrainingResult],
) -> None:
    settings, result = trained
    metadata, evaluation = evaluate_stored(settings, LATEST)
    assert metadata.version == result.metadata.version
    assert evaluation.metrics == result.evaluation.metrics


def test_the_stored_split_leaves_out_rows_added_after_the_training(
    trained: tuple[Settings, TrainingResult], tmp_path: Path
) -> None:
    settings, result = trained
    added = tmp_path / "added.csv"
    later = pd.DataFrame({"text": ["a message added later"], "label": [LABELS[0]]})
    later.to_csv(added, index=False)
    grown = settings.model_copy(update={"training_data": [*settings.training_data, str(added)]})
    store = ModelStore(settings.model_store)
    trained_on, held_out = stored_split(grown, store, result.metadata.version)
    assert len(trained_on) + len(held_out) == result.metadata.data.rows
    assert "a message added later" not in set(trained_on["text"]) | set(held_out["text"])


def test_a_version_stored_without_its_training_ids_was_trained_on_the_other_rows(
    trained: tuple[Settings, TrainingResult], tmp_path: Path
) -> None:
    settings, result = trained
    version = result.metadata.version
    shutil.copytree(settings.model_store, tmp_path / "models")
    (tmp_path / "models" / "versions" / version / TRAIN_IDS_FILE).unlink()
    older = settings.model_copy(update={"model_store": str(tmp_path / "models")})
    trained_on, held_out = stored_split(older, ModelStore(older.model_store), version)
    assert len(trained_on) + len(held_out) == result.metadata.data.rows


def test_a_model_below_the_gate_is_stored_but_not_promoted(
    trained: tuple[Settings, TrainingResult], tmp_path: Path
) -> None:
    settings, before = trained
    unlearnable = write_unlearnable_data(tmp_path / "noise.csv")
    update = {"training_data": [str(unlearnable)], "reports_dir": tmp_path, "docs_dir": tmp_path}
    result = train(settings.model_copy(update=update))
    store = ModelStore(settings.model_store)
    assert not result.promoted
    assert result.evaluation.metrics["macro_f1"] < settings.min_macro_f1
    assert result.metadata.version in store.versions()
    assert store.resolve(LATEST) == before.metadata.version


def test_bad_data_stops_training_before_anything_is_stored(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    good = write_training_data(tmp_path / "good.csv").read_text(encoding="utf-8")
    bad.write_text(good + "Hello,,test\n", "utf-8")
    settings = make_settings(tmp_path, training_data=[str(bad)])
    with pytest.raises(DataValidationError, match="column 'label'"):
        train(settings)
    assert ModelStore(settings.model_store).versions() == []


def test_code_version_is_the_commit_only_when_there_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert code_version().git_commit is None
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    assert code_version().git_commit is None
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "first"], check=True)
    commit = code_version().git_commit
    assert commit is not None
    assert len(commit) == 40


def test_data_of_another_task_trains_with_its_own_labels_and_id_column(tmp_path: Path) -> None:
    reviews = {
        "praise": ["the blender is excellent", "great sound from these speakers", "I love it"],
        "complaint": ["the kettle broke after a week", "awful battery life", "it arrived dead"],
        "question": ["does the lamp fit a tall desk", "is the charger included", "what size is it"],
    }
    labelled = [
        (framing.format(text), label)
        for label, texts in reviews.items()
        for text in texts
        for framing in FRAMINGS
    ]
    rows = [(f"r{number}", text, label) for number, (text, label) in enumerate(labelled)]
    path = tmp_path / "reviews.csv"
    pd.DataFrame(rows, columns=["review_id", "text", "label"]).to_csv(path, index=False)
    settings = make_settings(tmp_path, training_data=[str(path)], id_column="review_id")
    result = train(settings)
    assert result.promoted
    assert result.metadata.labels == ["complaint", "praise", "question"]
    held_out = json.loads(ModelStore(settings.model_store).artifact(LATEST, "test_ids.json"))
    assert set(held_out) <= {row[0] for row in rows}
    _, evaluation = evaluate_stored(settings, LATEST)
    assert evaluation.metrics == result.evaluation.metrics
