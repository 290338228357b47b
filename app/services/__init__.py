"""Use cases. Each owns its transaction; nothing here imports FastAPI."""
