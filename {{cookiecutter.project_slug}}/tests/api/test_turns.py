"""Taking turns: a burst of requests goes on a few per turn of the loop; health checks at once."""

import asyncio
from itertools import pairwise

from starlette.types import Message, Receive, Scope, Send

from {{ cookiecutter.package_name }}.api.turns import REQUESTS_PER_TURN, TakeTurns


def test_a_health_check_goes_before_a_burst_that_arrived_with_it() -> None:
    entered: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        entered.append(scope["path"])

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    async def ignore(message: Message) -> None:
        pass

    async def arriving_together() -> list[int]:
        """How many requests have gone on after each turn of the loop."""
        turns = TakeTurns(app, exempt="/health/")
        paths = [f"/v1/predict/{number}" for number in range(3 * REQUESTS_PER_TURN)]
        requests = [turns({"type": "http", "path": path}, nothing, ignore) for path in paths]
        health = turns({"type": "http", "path": "/health/live"}, nothing, ignore)
        burst = asyncio.gather(*requests, health)
        counts = []
        while not burst.done():
            await asyncio.sleep(0)
            counts.append(len(entered))
        return counts

    counts = asyncio.run(arriving_together())
    # The first few go on at once; the health check goes before the rest of the burst.
    assert entered.index("/health/live") == REQUESTS_PER_TURN
    entered.remove("/health/live")
    assert entered == [f"/v1/predict/{number}" for number in range(3 * REQUESTS_PER_TURN)]
    assert max(later - earlier for earlier, later in pairwise(counts)) == REQUESTS_PER_TURN
