"""Tasks to push: messages not labelled yet, each with the model's guess, least sure first."""

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..prediction import predict
from ..store import StoredModel
from .config import CHOICES_NAME, ROW_ID, TEXT_NAME


def tasks_to_push(
    pool: pd.DataFrame, ids: pd.Series, already: Iterable[str], model: StoredModel
) -> list[dict[str, Any]]:
    """Label Studio tasks for the texts of `pool` whose id (in `ids`) is not in `already`, each
    with the model's prediction as a pre-annotation, ordered by uncertainty (least sure first)."""
    known = set(already)
    fresh = ~ids.isin(known) & ~ids.duplicated()
    waiting, waiting_ids = pool[fresh], ids[fresh]
    if waiting.empty:
        return []
    predictions = predict(model.pipeline, waiting["text"].tolist())
    tasks = [
        {
            "data": {ROW_ID: row_id, TEXT_NAME: text},
            "predictions": [
                {
                    "model_version": model.metadata.version,
                    "score": prediction.confidence,
                    "result": [
                        {
                            "from_name": CHOICES_NAME,
                            "to_name": TEXT_NAME,
                            "type": "choices",
                            "value": {"choices": [prediction.label]},
                        }
                    ],
                }
            ],
        }
        for row_id, text, prediction in zip(waiting_ids, waiting["text"], predictions, strict=True)
    ]
    return sorted(tasks, key=lambda task: task["predictions"][0]["score"])
