"""Settings whose training fails the quality gate."""

from pathlib import Path

from {{ cookiecutter.package_name }}.settings import Settings

from ..support import write_unlearnable_data


def failing_gate(settings: Settings, root: Path) -> Settings:
    """The same settings on data no model can learn, so a training fails the quality gate."""
    unlearnable = write_unlearnable_data(root / "noise.csv")
    return settings.model_copy(update={"training_data": [str(unlearnable)]})
