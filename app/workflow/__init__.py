"""The issue lifecycle: pure functions, no HTTP, no database."""
