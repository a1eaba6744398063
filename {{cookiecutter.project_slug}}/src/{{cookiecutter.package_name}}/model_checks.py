"""What the project needs of the model `model.build_pipeline` gives, whatever it is: each label's
probability before training, then the data's labels and a model that can be stored."""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from typing import Any

from .errors import ModelDefinitionError


def final_step_name(model: Any) -> str:
    """The class name of the model's last step (or of the model, if it is not a pipeline)."""
    steps = getattr(model, "steps", None)
    return type(steps[-1][1] if steps else model).__name__


def check_before_training(model: Any) -> None:
    """Refuse a model that cannot give each label's probability (what every answer shows)."""
    if not hasattr(model, "predict_proba"):
        name = final_step_name(model)
        raise ModelDefinitionError(
            f"{name} gives no probabilities (no predict_proba), which every prediction shows:"
            f" in model.build_pipeline, wrap it as CalibratedClassifierCV({name}(...)) from"
            " sklearn.calibration, or choose a classifier with predict_proba"
        )


def check_after_training(model: Any, labels: Iterable[str]) -> None:
    """Refuse a fitted model that predicts other labels than the data's, or cannot be stored."""
    predicted, expected = sorted(map(str, model.classes_)), sorted(set(map(str, labels)))
    if predicted != expected:
        raise ModelDefinitionError(
            f"the model predicts the labels {predicted}, the data has {expected}: the model in"
            " model.build_pipeline must be fitted on the data's labels as they are"
        )
    try:
        pickle.dumps(model)
    # Pickling runs the code of every object in the model, which may raise anything.
    except Exception as error:
        raise ModelDefinitionError(
            f"the model cannot be stored: pickling it fails ({type(error).__name__}: {error});"
            " a lambda or a function defined inside another cannot be pickled: define it at the"
            " top of a module"
        ) from error
