"""The errors bad data and an unusable model raise, in a module of their own so that catching
them imports no data library."""

from collections.abc import Sequence


class DataValidationError(ValueError):
    """The data breaks the schema; `problems` has one readable line per failure."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


class ModelDefinitionError(ValueError):
    """`model.build_pipeline` gives a model the project cannot serve; the message (one line)
    says which and how to fix it."""
