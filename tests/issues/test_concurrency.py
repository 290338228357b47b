"""Races, fired with threads on the test's database (SQLite or PostgreSQL): refs never twice, a retried id
never two issues, two actions on one issue never both."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.db import get_engine
from app.errors import Conflict
from app.models import Issue, IssueEvent
from app.models.issue import IssueAction, IssueCreate
from app.services.issues import act, create_issue
from app.services.issues import actions as issue_actions
from tests.issues.conftest import LAT, LON

THREADS = 6


def _in_threads(n, fn):
    """Runs fn(i) in n threads started together; returns each result or the exception it raised."""
    start = threading.Barrier(n)

    def run(i):
        start.wait(timeout=10)
        with Session(get_engine(), expire_on_commit=False) as s:
            try:
                return fn(s, i)
            except Exception as e:  # collected, asserted by the caller
                return e

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_concurrent_creates_get_distinct_consecutive_refs(world, make_photo, settings):
    reporter = world.user("grid")
    photos = [make_photo(by=reporter.id) for _ in range(THREADS)]

    def create(s, i):
        data = IssueCreate(category="env.litter", lat=LAT, lon=LON, photo_ids=[photos[i]])
        return create_issue(s, settings, reporter, data)[0].ref

    refs = _in_threads(THREADS, create)
    assert all(isinstance(r, str) for r in refs), refs
    numbers = sorted(int(r.split("-")[1]) for r in refs)
    assert numbers == list(range(1, THREADS + 1))


def test_the_same_id_sent_at_once_is_one_issue(world, make_photo, settings, session):
    reporter = world.user("grid")
    photo = make_photo(by=reporter.id)
    data = IssueCreate(id=uuid.uuid4(), category="env.litter", lat=LAT, lon=LON, photo_ids=[photo])
    results = _in_threads(THREADS, lambda s, i: create_issue(s, settings, reporter, data))
    assert all(isinstance(r, tuple) for r in results), results
    assert sum(created for _, created in results) == 1
    assert {shown.ref for shown, _ in results} == {results[0][0].ref}
    assert session.execute(select(func.count()).select_from(Issue)).scalar() == 1
    assert session.execute(select(func.count()).select_from(IssueEvent)).scalar() == 1


@pytest.fixture
def both_read_first(monkeypatch):
    """Arms the worst interleaving: the next two actions both read the issue before either writes."""

    def arm():
        gate = threading.Barrier(2)
        original = issue_actions.issue_state

        def state_then_wait(session, issue):
            state = original(session, issue)
            gate.wait(timeout=10)
            return state

        monkeypatch.setattr(issue_actions, "issue_state", state_then_wait)

    return arm


def _reported(client, world, make_photo) -> str:
    body = {
        "category": "env.litter",
        "lat": LAT,
        "lon": LON,
        "photo_ids": [make_photo(by=world.user("grid").id)],
    }
    return client.post("/api/v1/issues", json=body, headers=world.h("grid")).json()["id"]


def test_two_concurrent_actions_on_one_issue_never_both_succeed(
    client, world, make_photo, settings, session, both_read_first
):
    issue_id = _reported(client, world, make_photo)
    who = [(world.user("office"), "cgj"), (world.user("admin"), "zjj")]

    def accept(s, i):
        user, unit = who[i]
        return act(s, settings, user, issue_id, IssueAction(action="accept", unit=unit))

    both_read_first()
    results = _in_threads(2, accept)
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], Conflict) and "reload" in lost[0].detail
    events = session.execute(select(IssueEvent).where(IssueEvent.issue_id == issue_id)).scalars().all()
    assert [e.seq for e in events] == [1, 2]
    issue = session.get(Issue, issue_id)
    session.refresh(issue)
    assert issue.version == 2 and won[0].unit == ("cgj" if won[0].events[-1].actor == "office" else "zjj")


def test_a_rectify_racing_a_reassign_leaves_one_story(
    client, world, make_photo, settings, session, both_read_first
):
    issue_id = _reported(client, world, make_photo)
    client.post(f"/api/v1/issues/{issue_id}/actions", json={"action": "accept"}, headers=world.h("office"))
    photo = make_photo(by=world.user("unit").id)
    requests = [
        (world.user("unit"), IssueAction(action="rectify", photo_ids=[photo])),
        (world.user("office"), IssueAction(action="reassign", unit="zjj")),
    ]
    both_read_first()
    results = _in_threads(2, lambda s, i: act(s, settings, requests[i][0], issue_id, requests[i][1]))
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    shown = client.get(f"/api/v1/issues/{issue_id}", headers=world.h("office")).json()
    assert shown["version"] == 3 and len(shown["events"]) == 3
    if shown["status"] == "rectified":
        assert [p["id"] for p in shown["photos"]][-1] == photo
    else:
        assert shown["unit"] == "zjj" and photo not in [p["id"] for p in shown["photos"]]
