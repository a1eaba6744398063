"""What the model serves, logged off the request path, and the true answers sent back for it."""
