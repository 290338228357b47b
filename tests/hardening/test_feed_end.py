"""The live feed ends a stream when its user is deactivated or its token expires."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from app.config import get_settings
from app.models import Role
from app.security import create_token, token_claims
from app.services.sessions import start_session
from tests.dashboard.live import live_server
from tests.dashboard.test_feed import sse

__all__ = ["live_server"]


@pytest.fixture
def quick_heartbeat(database_url, monkeypatch):
    monkeypatch.setenv("XUNCHA_FEED_HEARTBEAT_S", "0.2")
    get_settings.cache_clear()


def _ending(lines, within_s: float = 20.0) -> dict:
    deadline = time.monotonic() + within_s
    previous = ""
    for line in lines:
        if previous == "event: end" and line.startswith("data: "):
            return json.loads(line[6:])
        previous = line
        assert time.monotonic() < deadline, "the stream went on"
    raise AssertionError("the stream closed without an end event")


def test_a_stream_ends_when_its_user_is_deactivated(quick_heartbeat, live_server, make_user, session):
    office = make_user("office1", Role.office)
    with sse(live_server, headers=office["headers"]) as lines:
        user = office["user"]
        user.active = False
        session.add(user)
        session.commit()
        assert "deactivated" in _ending(lines)["detail"]


def test_a_stream_ends_when_its_token_expires(quick_heartbeat, live_server, make_user, session):
    office = make_user("office1", Role.office)
    settings = get_settings()
    pair = start_session(session, office["user"], settings, "test")
    _, sid = token_claims(pair.access_token, settings)
    issued = datetime.now(UTC) - timedelta(minutes=settings.access_token_minutes) + timedelta(seconds=6)
    token = create_token(office["user"].id, settings, now=issued, session_id=sid)  # expires in 6 s
    with sse(live_server, headers={"Authorization": f"Bearer {token}"}) as lines:
        assert "expired" in _ending(lines)["detail"]
