"""`python -m {{ cookiecutter.package_name }}.annotation`."""

from .cli import app

app()
