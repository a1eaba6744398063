"""The micro-batcher: texts that arrive close together share one model call."""

import asyncio

from {{ cookiecutter.package_name }}.api.batching import MicroBatcher
from {{ cookiecutter.package_name }}.prediction import predict
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.store import ModelStore, StoredModel
from {{ cookiecutter.package_name }}.training import TrainingResult

TEXTS = [f"I was charged {count} times for my order" for count in range(12)]


def latest(trained: tuple[Settings, TrainingResult]) -> StoredModel:
    settings, _ = trained
    return ModelStore(settings.model_store).load("latest")


async def arriving_one_loop_turn_apart(batcher: MicroBatcher, model: StoredModel) -> list[str]:
    async def arrive(turns: int, text: str) -> str:
        for _ in range(turns):
            await asyncio.sleep(0)
        return (await batcher.predict(model, text)).label

    return list(await asyncio.gather(*(arrive(turn, text) for turn, text in enumerate(TEXTS))))


def test_texts_arriving_while_the_batch_grows_join_it(
    trained: tuple[Settings, TrainingResult],
) -> None:
    model = latest(trained)
    batcher = MicroBatcher(max_batch_size=64)
    labels = asyncio.run(arriving_one_loop_turn_apart(batcher, model))
    assert list(batcher.batch_sizes) == [len(TEXTS)]
    assert labels == [prediction.label for prediction in predict(model.pipeline, TEXTS)]


def test_a_batch_never_exceeds_the_maximum_size(trained: tuple[Settings, TrainingResult]) -> None:
    batcher = MicroBatcher(max_batch_size=5)
    asyncio.run(arriving_one_loop_turn_apart(batcher, latest(trained)))
    assert sum(batcher.batch_sizes) == len(TEXTS)
    assert max(batcher.batch_sizes) == 5
