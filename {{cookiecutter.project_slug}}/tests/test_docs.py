import logging
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.docs import (
    MissingMarkersError,
    model_card_block,
    replace_block,
    update_block,
)
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

DOCUMENT = """# Title
Hand-written intro.
<!-- BEGIN GENERATED: model -->
old
<!-- END GENERATED: model -->
Hand-written outro.
"""


def test_only_the_generated_block_changes() -> None:
    updated = replace_block(DOCUMENT, "model", "new\ncontent\n")
    assert updated == DOCUMENT.replace("old\n", "new\ncontent\n")
    assert replace_block(updated, "model", "new\ncontent") == updated


def test_a_document_without_markers_is_left_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(MissingMarkersError):
        replace_block("# Title\n", "model", "x")
    path = tmp_path / "card.md"
    path.write_text("# Edited by the team, markers removed\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert not update_block(path, "model", "x")
    assert path.read_text(encoding="utf-8") == "# Edited by the team, markers removed\n"
    assert "Not updating" in caplog.text


def test_training_fills_the_model_card_and_datasheet(
    trained: tuple[Settings, TrainingResult],
) -> None:
    settings, result = trained
    card = (settings.docs_dir / "model_card.md").read_text(encoding="utf-8")
    sheet = (settings.docs_dir / "datasheet.md").read_text(encoding="utf-8")
    assert f"`{result.metadata.version}`" in card
    assert f"| macro_f1 | {result.metadata.metrics['macro_f1']:.3f} |" in card
    assert "## Limitations and risks" in card
    assert f"`{result.metadata.data.sha256}`" in sheet
    assert "| billing |" in sheet
    assert f"| Labels | {', '.join(result.metadata.labels)} |" in card
    assert "No model has been trained yet" not in sheet


def test_cross_validated_metrics_are_not_listed_as_held_out(
    trained: tuple[Settings, TrainingResult],
) -> None:
    metadata = trained[1].metadata
    metrics = metadata.metrics | {"cv_macro_f1": 0.5}
    card = model_card_block(metadata.model_copy(update={"metrics": metrics}))
    held_out, cross_validated = card.split("Cross-validated on the training split:")
    assert "| macro_f1 |" in held_out and "cv_macro_f1" not in held_out
    assert "| cv_macro_f1 | 0.500 |" in cross_validated.split("Parameters:")[0]
    assert "Cross-validated" not in model_card_block(metadata)
