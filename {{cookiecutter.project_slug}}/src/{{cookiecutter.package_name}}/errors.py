"""The error bad data raises, in a module of its own so that catching it imports no data library."""

from collections.abc import Sequence


class DataValidationError(ValueError):
    """The data breaks the schema; `problems` has one readable line per failure."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)
