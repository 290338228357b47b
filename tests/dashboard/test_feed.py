"""The live feed: delivered only after commit, over SSE with a header or ?access_token=, with heartbeats,
and on PostgreSQL to every server process."""

import asyncio
import json
import threading
from contextlib import contextmanager

import httpx2
import pytest

from app.cli import main
from app.config import get_settings
from app.db import new_session
from app.models import Role, Unit, User
from app.services import feed
from tests.conftest import ON_POSTGRES

STREAM = "/api/v1/events/stream"


def write_event(payload: dict, rollback: bool = False) -> None:
    """A writer's transaction: a row and its event, committed or rolled back."""
    with new_session() as session:
        session.add(Unit(code=f"u{payload.get('n', 0)}{'r' if rollback else ''}", name="写入"))
        feed.notify(session, payload)
        if rollback:
            session.rollback()
        else:
            session.commit()


def test_an_event_is_delivered_after_its_commit_and_never_after_a_rollback(settings):
    async def scenario():
        async with feed.broker.subscribe(lambda p: True, settings.database_url) as sub:
            await asyncio.to_thread(write_event, {"n": 1}, True)
            noted, release = threading.Event(), threading.Event()

            def slow_writer():
                with new_session() as session:
                    session.add(Unit(code="slow", name="慢"))
                    feed.notify(session, {"n": 2})
                    noted.set()
                    release.wait(5)
                    session.commit()

            writer = asyncio.create_task(asyncio.to_thread(slow_writer))
            await asyncio.to_thread(noted.wait, 5)
            with pytest.raises(TimeoutError):  # announced but not committed: nothing yet
                await asyncio.wait_for(sub.queue.get(), 0.5)
            release.set()
            await writer
            assert json.loads(await asyncio.wait_for(sub.queue.get(), 5)) == {"n": 2}
            assert sub.queue.empty()

    asyncio.run(scenario())


def test_a_unit_stream_carries_only_its_own_units_events(settings):
    async def scenario():
        async with feed.broker.subscribe(
            feed.stream_filter(_user(Role.unit), "cgj"), settings.database_url
        ) as sub:
            await asyncio.to_thread(write_event, {"n": 1, "unit": "zjj"})
            await asyncio.to_thread(write_event, {"n": 2, "unit": "cgj"})
            await asyncio.to_thread(write_event, {"n": 3, "unit": None, "proposed_unit": "cgj"})
            got = [json.loads(await asyncio.wait_for(sub.queue.get(), 5))["n"] for _ in range(2)]
            assert got == [2, 3]

    asyncio.run(scenario())


def _user(role):
    return User(username="x", role=role, password_hash="-")


def test_a_payload_too_big_for_notify_is_refused_and_a_long_note_is_cut():
    assert len(feed._encode({"note": "长" * 5000}).encode()) < feed.MAX_PAYLOAD_BYTES
    with pytest.raises(ValueError, match="7900 bytes"):
        feed._encode({"blob": "x" * 9000})


@contextmanager
def sse(base: str, **kwargs):
    """An open SSE stream, read line by line; returns once the server says the subscription is live."""
    with httpx2.stream("GET", base + STREAM, timeout=httpx2.Timeout(10.0), **kwargs) as r:
        assert r.status_code == 200, r.read()
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = r.iter_lines()
        for line in lines:
            if line == ": connected":
                break
        yield lines


def next_data(lines) -> dict:
    for line in lines:
        if line.startswith("data: "):
            return json.loads(line[6:])
    raise AssertionError("stream ended")


def test_sse_stream_with_a_bearer_header_delivers_issue_events(live_server, make_user):
    office = make_user("office1", Role.office)
    with sse(live_server, headers=office["headers"]) as lines:
        write_event({"type": "issue_event", "n": 7, "action": "accept", "note": "派遣给城管"})
        assert next_data(lines) == {"type": "issue_event", "n": 7, "action": "accept", "note": "派遣给城管"}


def test_sse_stream_accepts_access_token_in_the_query_for_eventsource(live_server, make_user):
    office = make_user("office1", Role.office)
    token = office["headers"]["Authorization"].split()[1]
    with sse(live_server, params={"access_token": token}) as lines:
        write_event({"n": 8})
        assert next_data(lines) == {"n": 8}


def test_sse_stream_refuses_no_token_a_bad_token_and_field_roles(live_server, make_user):
    assert httpx2.get(live_server + STREAM, timeout=5).status_code == 401
    bad = httpx2.get(live_server + STREAM, params={"access_token": "forged"}, timeout=5)
    assert bad.status_code == 401 and "sign in" in bad.json()["detail"]
    grid = make_user("grid1", Role.grid_worker)
    r = httpx2.get(live_server + STREAM, headers=grid["headers"], timeout=5)
    assert r.status_code == 403


@pytest.fixture
def quick_heartbeat(database_url, monkeypatch):
    monkeypatch.setenv("XUNCHA_FEED_HEARTBEAT_S", "0.2")
    get_settings.cache_clear()


def test_an_idle_stream_sends_heartbeats(quick_heartbeat, live_server, make_user):
    office = make_user("office1", Role.office)
    with sse(live_server, headers=office["headers"]) as lines:
        assert next(line for line in lines if line) == ": heartbeat"


@pytest.mark.skipif(not ON_POSTGRES, reason="several server processes need PostgreSQL's LISTEN/NOTIFY")
def test_on_postgres_an_event_reaches_every_server_process(server_process, make_user):
    office = make_user("office1", Role.office)
    first, second = server_process(), server_process()
    with sse(first, headers=office["headers"]) as a, sse(second, headers=office["headers"]) as b:
        write_event({"n": 42, "from": "a third process"})
        assert next_data(a) == {"n": 42, "from": "a third process"}
        assert next_data(b) == {"n": 42, "from": "a third process"}


def test_a_report_made_through_the_workflow_reaches_the_stream_and_the_figures(
    live_server, make_user, capsys
):
    office = make_user("office1", Role.office)
    assert main(["api-key", "create", "hotline"]) == 0
    key = capsys.readouterr().out.splitlines()[1]
    with sse(live_server, headers=office["headers"]) as lines:
        posted = httpx2.post(
            f"{live_server}/open311/v2/requests.json",
            data={"api_key": key, "service_code": "env.litter", "lat": "28.21", "long": "112.95"},
            timeout=10,
        )
        assert posted.status_code == 201, posted.text
        event = next_data(lines)
    assert event["action"] == "report" and event["ref"] == posted.json()[0]["service_request_id"]
    summary = httpx2.get(f"{live_server}/api/v1/stats/summary", headers=office["headers"], timeout=10).json()
    assert summary["by_status"]["reported"] == 1
