"""The dashboard tests' fixtures live in factories.py and live.py (the Open311 tests use them too)."""

from tests.dashboard.factories import make_issue, make_zone, reporter
from tests.dashboard.live import live_server, server_process

__all__ = ["live_server", "make_issue", "make_zone", "reporter", "server_process"]
