"""What the model routes: the teams a support message can go to, and the longest message."""

LABELS: tuple[str, ...] = ("account", "billing", "returns", "shipping", "technical")
MAX_TEXT_LENGTH = 5000
