"""The micro-batcher: texts that arrive close together share one model call, in the model's
thread; past the waiting limit, requests are refused; a cancelled request strands nobody."""

import asyncio
import statistics

import pytest
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.api.batching import MicroBatcher, OverloadedError
from {{ cookiecutter.package_name }}.model import build_pipeline
from {{ cookiecutter.package_name }}.prediction import Prediction, predict
from {{ cookiecutter.package_name }}.settings import ModelParams, Settings
from {{ cookiecutter.package_name }}.store import ModelStore, StoredModel
from {{ cookiecutter.package_name }}.training import TrainingResult

TEXTS = [f"I was charged {count} times for my order" for count in range(12)]


def latest(trained: tuple[Settings, TrainingResult]) -> StoredModel:
    settings, _ = trained
    return ModelStore(settings.model_store).load("latest")


def unfitted(model: StoredModel) -> StoredModel:
    """A model whose every prediction fails, as a broken one would."""
    pipeline: Pipeline = build_pipeline(ModelParams(), seed=0)
    return StoredModel(pipeline, model.metadata)


async def arriving_one_loop_turn_apart(batcher: MicroBatcher, model: StoredModel) -> list[str]:
    async def arrive(turns: int, text: str) -> str:
        for _ in range(turns):
            await asyncio.sleep(0)
        [prediction] = await batcher.predict(model, [text])
        return prediction.label

    return list(await asyncio.gather(*(arrive(turn, text) for turn, text in enumerate(TEXTS))))


def test_texts_arriving_while_the_batch_grows_join_it(
    trained: tuple[Settings, TrainingResult],
) -> None:
    model = latest(trained)
    batcher = MicroBatcher(max_batch_size=64, max_waiting_texts=64)
    labels = asyncio.run(arriving_one_loop_turn_apart(batcher, model))
    assert list(batcher.batch_sizes) == [len(TEXTS)]
    assert labels == [prediction.label for prediction in predict(model.pipeline, TEXTS)]


def test_a_batch_never_exceeds_the_maximum_size(trained: tuple[Settings, TrainingResult]) -> None:
    batcher = MicroBatcher(max_batch_size=5, max_waiting_texts=64)
    asyncio.run(arriving_one_loop_turn_apart(batcher, latest(trained)))
    assert sum(batcher.batch_sizes) == len(TEXTS)
    assert max(batcher.batch_sizes) == 5


def test_clients_that_come_back_after_their_answer_keep_sharing_batches(
    trained: tuple[Settings, TrainingResult],
) -> None:
    """The loop answers while the model works, so the clients of a batch come back while the
    next batch forms; it waits a moment for them rather than split the clients into halves."""
    model = latest(trained)

    async def client(batcher: MicroBatcher, start: float) -> None:
        await asyncio.sleep(start)
        for _ in range(10):
            await batcher.predict(model, [TEXTS[0]])
            await asyncio.sleep(0.0002)  # reading the answer, sending the next text

    async def clients(batcher: MicroBatcher) -> None:
        await asyncio.gather(*(client(batcher, number * 0.0003) for number in range(8)))

    # The best of ten runs (each a few milliseconds): a busy machine, as when the tests run on
    # every core, can hold the loop past the linger in several (without the linger, every run
    # averages under 4).
    means = []
    for _ in range(10):
        batcher = MicroBatcher(max_batch_size=64, max_waiting_texts=64)
        asyncio.run(clients(batcher))
        means.append(statistics.mean(batcher.batch_sizes))
        if means[-1] > 6:
            break
    assert max(means) > 6, means


def test_past_the_waiting_limit_requests_are_refused_at_once(
    trained: tuple[Settings, TrainingResult],
) -> None:
    model = latest(trained)
    batcher = MicroBatcher(max_batch_size=4, max_waiting_texts=4)

    async def together() -> list[list[Prediction] | BaseException]:
        requests = [batcher.predict(model, [text]) for text in TEXTS[:3]]
        requests.append(batcher.predict(model, TEXTS[3:5]))  # a batch counts its texts
        return await asyncio.gather(*requests, return_exceptions=True)

    answers = asyncio.run(together())
    assert [len(answer) for answer in answers[:3] if isinstance(answer, list)] == [1, 1, 1]
    assert isinstance(answers[3], OverloadedError)
    assert "3 texts are waiting for the model (at most 4)" in str(answers[3])
    assert batcher.waiting == 0
    assert len(asyncio.run(batcher.predict(model, TEXTS[:4]))) == 4


def test_a_cancelled_request_leaves_no_other_waiting(
    trained: tuple[Settings, TrainingResult],
) -> None:
    model = latest(trained)
    batcher = MicroBatcher(max_batch_size=8, max_waiting_texts=8)

    async def one_cancelled(model: StoredModel) -> list[Prediction]:
        cancelled = asyncio.ensure_future(batcher.predict(model, [TEXTS[0]]))
        kept = asyncio.ensure_future(batcher.predict(model, [TEXTS[1]]))
        await asyncio.sleep(0)  # both are in the batch being formed
        cancelled.cancel()
        return await asyncio.wait_for(kept, timeout=10)

    [prediction] = asyncio.run(one_cancelled(model))
    assert prediction == predict(model.pipeline, [TEXTS[1]])[0]
    # Even when the model fails: each request gets the error, the cancelled one is skipped.
    with pytest.raises(AttributeError):
        asyncio.run(one_cancelled(unfitted(model)))
    assert batcher.waiting == 0
