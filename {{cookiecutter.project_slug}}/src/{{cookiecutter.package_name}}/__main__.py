"""Entry point for `python -m`: the command line."""

from .cli import app

app()
