"""`python -m {{ cookiecutter.package_name }}.experiments`."""

from .cli import app

app()
