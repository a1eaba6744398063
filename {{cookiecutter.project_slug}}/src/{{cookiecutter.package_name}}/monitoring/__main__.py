"""`python -m {{ cookiecutter.package_name }}.monitoring`."""

from .cli import app

app()
