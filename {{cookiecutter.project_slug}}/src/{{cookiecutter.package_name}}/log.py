"""The one logging set-up of the project."""

import logging

from rich.logging import RichHandler


def configure_logging(level: str = "INFO") -> None:
    """Send log records to stderr through rich, once per process."""
    logging.basicConfig(
        level=level,
        format="%(message)s",
        datefmt="[%X]",
        handlers=[RichHandler(rich_tracebacks=True, show_path=False)],
        force=True,
    )
