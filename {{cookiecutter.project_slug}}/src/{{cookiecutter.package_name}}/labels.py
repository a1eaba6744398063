"""The label set: the teams a support message can be routed to."""

LABELS: tuple[str, ...] = ("account", "billing", "returns", "shipping", "technical")
