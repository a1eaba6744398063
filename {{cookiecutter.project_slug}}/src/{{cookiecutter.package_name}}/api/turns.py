"""Taking turns on the event loop, so that a burst of requests never holds up a health check.

uvicorn starts each request that has arrived as a task, and the event loop runs every ready task
before it reads its sockets again: a thousand predictions arriving together would be read, parsed
and validated in one go, while a health check that arrived among them waits. This middleware lets
at most `REQUESTS_PER_TURN` requests go on per turn of the loop, in order of arrival; between two
turns the loop reads its sockets, and health checks, which never wait for a turn, answer. Below
that rate requests go on at once, at no cost.
"""

from __future__ import annotations

import asyncio
from collections import deque

from starlette.types import ASGIApp, Receive, Scope, Send

REQUESTS_PER_TURN = 8


class TakeTurns:
    """ASGI middleware: HTTP requests outside `exempt` go on a few per turn of the event loop."""

    def __init__(self, app: ASGIApp, exempt: str) -> None:
        self.app = app
        self.exempt = exempt
        self.going_on = 0  # requests that went on in this turn
        self.waiting: deque[asyncio.Future[None]] = deque()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(self.exempt):
            if self.waiting or self.going_on >= REQUESTS_PER_TURN:
                turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
                self.waiting.append(turn)
                await turn
            else:
                self._go_on()
        await self.app(scope, receive, send)

    def _go_on(self) -> None:
        """Count a request that goes on; the first of a turn schedules the next turn."""
        if self.going_on == 0:
            asyncio.get_running_loop().call_soon(self._next_turn)
        self.going_on += 1

    def _next_turn(self) -> None:
        """A new turn: the first few waiting requests go on, the others wait for the next ones."""
        self.going_on = 0
        while self.waiting and self.going_on < REQUESTS_PER_TURN:
            turn = self.waiting.popleft()
            if not turn.done():  # done: the request was cancelled while it waited
                self._go_on()
                turn.set_result(None)
