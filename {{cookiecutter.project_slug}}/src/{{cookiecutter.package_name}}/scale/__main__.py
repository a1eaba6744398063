"""`python -m {{ cookiecutter.package_name }}.scale`."""

from .cli import app

# Dask starts its worker processes by importing this module again: only the command runs the app.
if __name__ == "__main__":
    app()
