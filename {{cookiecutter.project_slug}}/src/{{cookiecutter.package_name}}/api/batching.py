"""Adaptive micro-batching: single predictions that arrive together share one model call.

A model call has a fixed cost (about a millisecond) and a small cost per text, so under load
routing the texts of concurrent requests in one call multiplies throughput. Nothing waits on a
timer: a batch is sent once a turn of the event loop adds no text to it (or it is full), so
requests that are still being parsed join it and an idle service answers at once.
"""

from __future__ import annotations

import asyncio
from collections import deque

from ..prediction import Prediction, predict
from ..store import StoredModel


class MicroBatcher:
    """Collects single texts for the same model and predicts them together on the event loop."""

    def __init__(self, max_batch_size: int) -> None:
        self.max_batch_size = max_batch_size
        self.pending: list[tuple[StoredModel, str, asyncio.Future[Prediction]]] = []
        self.batch_sizes: deque[int] = deque(maxlen=1024)  # the most recent ones

    async def predict(self, model: StoredModel, text: str) -> Prediction:
        """The prediction for one text, computed in a batch with its neighbours."""
        future: asyncio.Future[Prediction] = asyncio.get_running_loop().create_future()
        self.pending.append((model, text, future))
        if len(self.pending) == 1:
            asyncio.get_running_loop().call_soon(self._settle, 0)
        return await future

    def _settle(self, seen: int) -> None:
        """Flush once the batch stops growing between two turns of the loop, or is full."""
        waiting = len(self.pending)
        if seen < waiting < self.max_batch_size:
            asyncio.get_running_loop().call_soon(self._settle, waiting)
        else:
            self._flush()

    def _flush(self) -> None:
        size = self.max_batch_size
        batch, self.pending = self.pending[:size], self.pending[size:]
        if self.pending:
            asyncio.get_running_loop().call_soon(self._flush)
        for model in {id(entry[0]): entry[0] for entry in batch}.values():
            group = [(text, future) for owner, text, future in batch if owner is model]
            try:
                predictions = predict(model.pipeline, [text for text, _ in group])
            except Exception as error:  # every waiting request gets the failure, none hangs
                for _, future in group:
                    future.set_exception(error)
                continue
            self.batch_sizes.append(len(group))
            for (_, future), prediction in zip(group, predictions, strict=True):
                if not future.cancelled():
                    future.set_result(prediction)
