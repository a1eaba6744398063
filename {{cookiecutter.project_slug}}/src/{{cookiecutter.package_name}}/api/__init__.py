"""The HTTP service that serves the model: `create_app()` builds it."""
