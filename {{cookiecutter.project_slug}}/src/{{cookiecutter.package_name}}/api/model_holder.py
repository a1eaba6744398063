"""The served model: loaded once, swapped in place when the alias points at a new version."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from ..store import ModelNotFoundError, ModelStore, StoredModel, UnusableModelError

logger = logging.getLogger(__name__)
UNREADABLE_STORE = "the model store cannot be read: the service log says why"


@dataclass
class ModelHolder:
    """Holds the current model; `refresh()` loads a new version when the alias has moved.

    A version that cannot be used is never served: the current model, if any, stays, and that
    version is not tried again (the alias has to move on). `problem` says why no model is served,
    in words fit for an HTTP answer: never the store's URL.
    """

    store: ModelStore
    version_or_alias: str
    current: StoredModel | None = None
    problem: str | None = "no model loaded yet"
    refused: str | None = None

    def refresh(self) -> bool:
        """Load the version the alias points at if it is new; return whether it changed."""
        try:
            version = self.store.resolve(self.version_or_alias)
            if version == self.refused or (
                self.current is not None and self.current.metadata.version == version
            ):
                return False
            loaded = self.store.load(version)
        except UnusableModelError as error:
            cause = f" ({error.__cause__!r})" if error.__cause__ else ""
            logger.error("Not serving it: %s%s", error, cause)
            self.refused = error.version
            self._no_model_because(str(error))
            return False
        except ModelNotFoundError as error:
            self._no_model_because(str(error))
            return False
        except OSError as error:  # the store is out of reach (network, permissions)
            logger.warning("Could not read the model store: %r", error)
            self._no_model_because(UNREADABLE_STORE)
            return False
        self.current, self.problem = loaded, None
        logger.info("Serving model version %s", version)
        return True

    def _no_model_because(self, reason: str) -> None:
        """Keep serving the current model, if any; otherwise say why there is none."""
        if self.current is None:
            self.problem = reason

    async def watch(self, interval_seconds: float) -> None:
        """Refresh forever, every `interval_seconds`, off the event loop."""
        while True:
            await asyncio.sleep(interval_seconds)
            try:
                await asyncio.to_thread(self.refresh)
            except Exception:  # keep serving the current model whatever the store does
                logger.exception("Could not refresh the model; still serving the current one")
