"""Tasks to push: messages not labelled yet, each with the model's guess, least sure first."""

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..prediction import predict
from ..store import StoredModel
from .config import CHOICES_NAME, TEXT_NAME


def tasks_to_push(
    pool: pd.DataFrame, already: Iterable[str], model: StoredModel
) -> list[dict[str, Any]]:
    """Label Studio tasks for the messages of `pool` whose id is not in `already`, each with the
    model's prediction as a pre-annotation, ordered by uncertainty (least confident first)."""
    known = set(already)
    waiting = pool[~pool["message_id"].isin(known)]
    if waiting.empty:
        return []
    predictions = predict(model.pipeline, waiting["text"].tolist())
    tasks = [
        {
            "data": {"message_id": message_id, TEXT_NAME: text},
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
        for message_id, text, prediction in zip(
            waiting["message_id"], waiting["text"], predictions, strict=True
        )
    ]
    return sorted(tasks, key=lambda task: task["predictions"][0]["score"])
