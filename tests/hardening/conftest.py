"""The hardening tests use the issue tests' small district and the dashboard's issue factory."""

from tests.dashboard.factories import make_issue, make_zone, reporter
from tests.issues.conftest import act, make_photo, make_user_fast, report, world

__all__ = ["act", "make_issue", "make_photo", "make_user_fast", "make_zone", "report", "reporter", "world"]
