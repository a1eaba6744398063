"""Adaptive micro-batching: the texts of requests that arrive together share one model call.

A model call has a fixed cost (about half a millisecond) and a small cost per text, so under
load routing the texts of concurrent requests in one call multiplies throughput. A batch is sent
once a turn of the event loop adds no text to it (or it is full), so requests that are still
being parsed join it and an idle service answers at once.

The model runs in a thread of its own, never on the event loop: while it predicts one batch, the
loop keeps answering (health checks too) and the next batch forms. As the loop no longer stalls,
the clients of a batch come back with their next texts while the next batch is already on its
way, and batches would split in halves, then smaller ones; so after a batch the next one waits,
at most `LINGER_SECONDS`, until as many texts are queued as were just answered and left waiting.

Admission is bounded: past `max_waiting_texts` texts waiting, a request is refused at once with
`OverloadedError` instead of queueing without limit.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate

from ..prediction import Prediction, predict
from ..store import StoredModel

LINGER_SECONDS = 0.001


class OverloadedError(Exception):
    """Too many texts are waiting for the model: the request is refused, to be retried later."""


@dataclass(eq=False)
class _Request:
    """The texts of one request, waiting for their predictions."""

    model: StoredModel
    texts: Sequence[str]
    answer: asyncio.Future[list[Prediction]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class MicroBatcher:
    """Collects the texts of concurrent requests and predicts them together in one thread."""

    def __init__(self, max_batch_size: int, max_waiting_texts: int) -> None:
        self.max_batch_size = max_batch_size
        self.max_waiting_texts = max_waiting_texts
        self.queue: deque[_Request] = deque()
        self.queued = 0  # texts in the queue
        self.predicting = 0  # texts of the batch in the model thread
        self.batch_sizes: deque[int] = deque(maxlen=1024)  # the most recent ones
        self.worker: asyncio.Task[None] | None = None
        self.model_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="model")
        self.expected = 0  # texts the worker lingers for
        self.enough: asyncio.Future[None] | None = None  # set once they are queued

    @property
    def waiting(self) -> int:
        """Texts admitted and not answered yet."""
        return self.queued + self.predicting

    async def predict(self, model: StoredModel, texts: Sequence[str]) -> list[Prediction]:
        """The predictions of `texts`, computed in a batch with those of other requests."""
        if self.waiting + len(texts) > self.max_waiting_texts:
            raise OverloadedError(
                f"the service is busy: {self.waiting} texts are waiting for the model"
                f" (at most {self.max_waiting_texts}); retry shortly"
            )
        request = _Request(model, texts)
        self.queue.append(request)
        self.queued += len(texts)
        if self.worker is None:
            self.worker = asyncio.create_task(self._work())
        elif self.queued >= self.expected:
            self._stop_lingering()
        return await request.answer

    def close(self) -> None:
        """Stop the model thread once its current batch is done."""
        self.model_thread.shutdown(wait=False, cancel_futures=True)

    async def _work(self) -> None:
        """Predict batches while texts keep coming."""
        try:
            expected = 0
            while True:
                await self._linger(expected)
                if not self.queue:
                    return
                await self._settle()
                batch = self._take()
                await self._predict(batch)
                # Those just answered come back soon, to join those that came meanwhile.
                answered = sum(len(request.texts) for request in batch)
                expected = min(self.queued + answered, self.max_batch_size)
        finally:
            self.worker = None

    async def _linger(self, expected: int) -> None:
        """Wait until `expected` texts are queued, or `LINGER_SECONDS` have passed."""
        if self.queued >= expected:
            return
        loop = asyncio.get_running_loop()
        self.expected, self.enough = expected, loop.create_future()
        deadline = loop.call_later(LINGER_SECONDS, self._stop_lingering)
        try:
            await self.enough
        finally:
            deadline.cancel()
            self.enough = None

    def _stop_lingering(self) -> None:
        if self.enough is not None and not self.enough.done():
            self.enough.set_result(None)

    async def _settle(self) -> None:
        """Let the batch grow while a turn of the loop still adds texts to it, or until full."""
        seen = -1
        while seen < self.queued < self.max_batch_size:
            seen = self.queued
            await asyncio.sleep(0)

    def _take(self) -> list[_Request]:
        """The next batch: requests from the front of the queue, up to the batch size."""
        batch: list[_Request] = []
        size = 0
        while self.queue and (not batch or size + len(self.queue[0].texts) <= self.max_batch_size):
            request = self.queue.popleft()
            self.queued -= len(request.texts)
            if not request.answer.done():  # done: cancelled while it waited, nobody to answer
                batch.append(request)
                size += len(request.texts)
        return batch

    async def _predict(self, batch: list[_Request]) -> None:
        """Predict a batch in the model thread, one call per model, and answer its requests."""
        self.predicting = sum(len(request.texts) for request in batch)
        try:
            for model in {id(request.model): request.model for request in batch}.values():
                requests = [request for request in batch if request.model is model]
                texts = [text for request in requests for text in request.texts]
                try:
                    predictions = await asyncio.get_running_loop().run_in_executor(
                        self.model_thread, predict, model.pipeline, texts
                    )
                except Exception as error:  # every waiting request gets the failure, none hangs
                    for request in requests:
                        if not request.answer.done():
                            request.answer.set_exception(error)
                    continue
                self.batch_sizes.append(len(texts))
                ends = accumulate(len(request.texts) for request in requests)
                for request, end in zip(requests, ends, strict=True):
                    if not request.answer.done():  # done: cancelled while the model ran
                        request.answer.set_result(predictions[end - len(request.texts) : end])
        finally:
            self.predicting = 0
