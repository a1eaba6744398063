"""A Jinja extension (`_extensions` in cookiecutter.json) that keeps a refusal readable.

When the pre-generation hook refuses the answers, it has already printed why, one line per
problem, and a command that re-runs with the answers given. cookiecutter then logs its own
"Stopping generation" line with the traceback of the hook's exit status, which says nothing
more; this extension drops that traceback, and only that one.
"""

from __future__ import annotations

import logging

from cookiecutter.exceptions import FailedHookException
from jinja2 import Environment
from jinja2.ext import Extension

HOOKS_LOGGER = "cookiecutter.hooks"


def _without_hook_traceback(record: logging.LogRecord) -> bool:
    """Keep every record; strip the traceback of a hook that exited with an error."""
    if record.exc_info and isinstance(record.exc_info[1], FailedHookException):
        record.exc_info = None
    return True


class QuietRefusals(Extension):
    """Installs the filter on cookiecutter's hooks logger (once per process)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        logger = logging.getLogger(HOOKS_LOGGER)
        if _without_hook_traceback not in logger.filters:
            logger.addFilter(_without_hook_traceback)
