"""The demo district's history: ~1,200 issues, ~82% closed, every trail a legal walk of the action table."""

from collections import Counter
from datetime import UTC, datetime
from itertools import pairwise

import pytest
from sqlalchemy import create_engine, select
from sqlmodel import Session

from app.config import get_settings
from app.demo import seed as demo_seed
from app.migrate import upgrade
from app.models import Issue, IssueEvent, IssueZone, User
from app.security import create_token
from app.workflow.rules import ACTIONS
from app.workflow.states import Action

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


@pytest.fixture
def seeded(database_url, monkeypatch):
    monkeypatch.setattr(demo_seed, "utcnow", lambda: NOW)
    from app.db import get_engine

    with Session(get_engine(), expire_on_commit=False) as s:
        demo_seed.seed_demo(s, get_settings())


def _fingerprint(session: Session) -> list:
    issues = session.execute(select(Issue).order_by(Issue.ref)).scalars().all()
    events = session.execute(select(IssueEvent).order_by(IssueEvent.issue_id, IssueEvent.seq)).scalars().all()
    return [(i.ref, i.status, i.category, i.lat, i.lon, i.due_at) for i in issues] + [
        (e.issue_id, e.seq, e.action, e.at) for e in events
    ]


def test_the_history_tells_a_district_before_its_inspection(seeded, session):
    issues = session.execute(select(Issue)).scalars().all()
    by_status = Counter(i.status for i in issues)
    assert 1150 <= len(issues) <= 1250
    assert 0.79 <= by_status["closed"] / len(issues) <= 0.85, by_status
    assert all(
        by_status[s] > 0 for s in ("reported", "dispatched", "in_progress", "rectified", "rejected", "merged")
    )
    overdue = [i for i in issues if i.status in ("dispatched", "in_progress") and i.due_at < NOW]
    assert len(overdue) >= 20
    assert sum(i.reopen_count > 0 for i in issues) >= 30
    assert sum(i.fixed_on_site for i in issues) >= 30
    assert len({i.ref for i in issues}) == len(issues)
    units = {i.unit_id for i in issues}
    assert len(units) >= 30 and None not in units
    sites = {z.code for z in session.execute(select(IssueZone).where(IssueZone.layer == "site")).scalars()}
    assert len(sites) >= 100  # spread over the district's 132 sites


def test_every_trail_walks_the_action_table(seeded, session):
    roles = dict(session.execute(select(User.id, User.role)).all())
    user_units = dict(session.execute(select(User.id, User.unit_id)).all())
    issues = {i.id: i for i in session.execute(select(Issue)).scalars()}
    trails: dict[str, list[IssueEvent]] = {}
    for e in session.execute(select(IssueEvent).order_by(IssueEvent.issue_id, IssueEvent.seq)).scalars():
        trails.setdefault(e.issue_id, []).append(e)
    for issue_id, trail in trails.items():
        issue = issues[issue_id]
        assert [e.seq for e in trail] == list(range(1, issue.version + 1))
        assert trail[0].action == "report" and trail[0].from_status is None and "imported" in trail[0].flags
        assert trail[0].at == issue.created_at and trail[-1].at == issue.updated_at <= NOW
        for before, event in pairwise(trail):
            assert event.at >= before.at and event.from_status == before.to_status
            if event.action == "rectify" and "fixed_on_site" in event.flags:
                continue
            rule = ACTIONS[Action(event.action)]
            assert event.from_status in rule.from_statuses, (issue.ref, event.action, event.from_status)
            assert event.to_status == (rule.to_status or event.from_status)
            assert roles[event.actor_id] in rule.roles, (issue.ref, event.action, roles[event.actor_id])
            if rule.own_unit:
                assert user_units[event.actor_id] == event.actor_unit_id
            if event.action == "verify":
                assert event.actor_unit_id != issue.unit_id
        assert trail[-1].to_status == issue.status
        if issue.status == "merged":
            assert issues[issue.duplicate_of].created_at <= issue.created_at


def test_the_demo_users_see_their_share(seeded, client, session):
    def headers(name):
        user = session.execute(select(User).where(User.username == name)).scalar_one()
        return {"Authorization": f"Bearer {create_token(user.id, get_settings())}"}

    office = client.get("/api/v1/issues?overdue=true&limit=200", headers=headers("demo_office")).json()
    assert len(office["items"]) >= 20 and all(i["overdue"] for i in office["items"])
    mine = client.get("/api/v1/issues?limit=200", headers=headers("demo_unit")).json()["items"]
    assert mine and all("cgj" in (i["unit"], i["proposed_unit"]) for i in mine)
    shown = client.get(f"/api/v1/issues/{mine[0]['id']}", headers=headers("demo_unit")).json()
    assert shown["events"][0]["flags"] == ["imported"] and shown["photos"] == []


def test_the_same_moment_gives_the_same_history(tmp_path, monkeypatch):
    monkeypatch.setattr(demo_seed, "utcnow", lambda: NOW)
    prints = []
    for n in range(2):
        url = f"sqlite:///{tmp_path / f'h{n}.db'}"
        upgrade(url)
        engine = create_engine(url)
        with Session(engine, expire_on_commit=False) as s:
            demo_seed.seed_demo(s, get_settings())
            prints.append(_fingerprint(s))
        engine.dispose()
    assert prints[0] == prints[1] and len(prints[0]) > 5000
