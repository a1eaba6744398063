"""Tasks to push: new messages only, with the model's guess, least sure first."""

import pandas as pd

from {{ cookiecutter.package_name }}.annotation.config import ROW_ID
from {{ cookiecutter.package_name }}.annotation.tasks import tasks_to_push
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.store import ModelStore
from {{ cookiecutter.package_name }}.training import TrainingResult


def test_new_messages_go_least_sure_first_with_the_guess(
    trained: tuple[Settings, TrainingResult],
) -> None:
    settings, result = trained
    model = ModelStore(settings.model_store).load()
    pool = pd.DataFrame(
        {
            "text": [
                "I was charged twice, refund me",
                "hello there",
                "where is my parcel",
                "hello there",
            ]
        }
    )
    ids = pd.Series(["a", "b", "c", "b"])
    tasks = tasks_to_push(pool, ids, already=["c"], model=model)
    assert sorted(task["data"][ROW_ID] for task in tasks) == ["a", "b"]  # each id once
    scores = [task["predictions"][0]["score"] for task in tasks]
    assert scores == sorted(scores)
    [billing] = [task for task in tasks if task["data"][ROW_ID] == "a"]
    prediction = billing["predictions"][0]
    assert prediction["model_version"] == result.metadata.version
    assert prediction["result"][0]["value"] == {"choices": ["billing"]}


def test_nothing_to_push_when_all_are_known(trained: tuple[Settings, TrainingResult]) -> None:
    settings, _ = trained
    pool = pd.DataFrame({"text": ["hello"]})
    model = ModelStore(settings.model_store).load()
    assert tasks_to_push(pool, pd.Series(["a"]), ["a"], model) == []
