"""The dashboard tests' fixtures live in factories.py (the Open311 tests use them too)."""

from tests.dashboard.factories import make_issue, make_zone, reporter

__all__ = ["make_issue", "make_zone", "reporter"]
