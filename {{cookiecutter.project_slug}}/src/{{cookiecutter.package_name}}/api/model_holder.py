"""The served model: loaded once, swapped in place when the alias points at a new version."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from ..store import ModelNotFoundError, ModelStore, StoredModel

logger = logging.getLogger(__name__)


@dataclass
class ModelHolder:
    """Holds the current model; `refresh()` loads a new version when the alias has moved."""

    store: ModelStore
    version_or_alias: str
    current: StoredModel | None = None
    problem: str | None = "no model loaded yet"

    def refresh(self) -> bool:
        """Load the version the alias points at if it is new; return whether it changed."""
        try:
            version = self.store.resolve(self.version_or_alias)
            if self.current is not None and self.current.metadata.version == version:
                return False
            loaded = self.store.load(version)
        except ModelNotFoundError as error:
            if self.current is None:
                self.problem = str(error)
            return False
        self.current, self.problem = loaded, None
        logger.info("Serving model version %s", version)
        return True

    async def watch(self, interval_seconds: float) -> None:
        """Refresh forever, every `interval_seconds`, off the event loop."""
        while True:
            await asyncio.sleep(interval_seconds)
            try:
                await asyncio.to_thread(self.refresh)
            except Exception:  # keep serving the current model whatever the store does
                logger.exception("Could not refresh the model; still serving the current one")
