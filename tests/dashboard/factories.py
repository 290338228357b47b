"""Factories shared by the dashboard and Open311 tests: issues, zones and events written directly."""

import itertools
import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from app.models import Issue, IssueEvent, IssueZone, Role, Unit, User, Zone
from app.models.base import utcnow

LAT, LON = 28.2100, 112.9500


@pytest.fixture
def reporter(session) -> User:
    user = User(username="reporter", role=Role.grid_worker, password_hash="-", display_name="网格员")
    session.add(user)
    session.commit()
    return user


@pytest.fixture
def make_zone(session) -> Callable[..., Zone]:
    def make(layer: str, code: str, unit: Unit, name: str | None = None, category: str | None = None) -> Zone:
        square = [[LON, LAT], [LON + 0.01, LAT], [LON + 0.01, LAT + 0.01], [LON, LAT + 0.01], [LON, LAT]]
        zone = Zone(
            layer=layer,
            code=code,
            name=name or f"点位{code}",
            unit_id=unit.id,
            category=category,
            geometry=json.dumps({"type": "Polygon", "coordinates": [square]}),
            min_lon=LON,
            min_lat=LAT,
            max_lon=LON + 0.01,
            max_lat=LAT + 0.01,
        )
        session.add(zone)
        session.commit()
        return zone

    return make


@pytest.fixture
def make_issue(session, reporter) -> Callable[..., Issue]:
    """An issue in any state, its timestamps given or defaulted from `status` relative to now."""
    numbers = itertools.count(1)

    def make(
        status: str = "reported",
        unit: Unit | None = None,
        category: str = "env.litter",
        created_at: datetime | None = None,
        due_at: datetime | None = None,
        rectified_at: datetime | None = None,
        closed_at: datetime | None = None,
        reopen_count: int = 0,
        extension_pending: bool = False,
        lat: float = LAT + 0.005,
        lon: float = LON + 0.005,
        zones: tuple[tuple[str, str], ...] = (),
        notes: tuple[str, ...] = (),
        description: str = "",
    ) -> Issue:
        now = utcnow()
        created_at = created_at or now - timedelta(days=1)
        accepted = status in ("dispatched", "in_progress", "rectified", "closed")
        if accepted and due_at is None:
            due_at = now + timedelta(days=1)
        if status in ("rectified", "closed") and rectified_at is None:
            rectified_at = created_at + timedelta(hours=2)
        if status == "closed" and closed_at is None:
            closed_at = (rectified_at or created_at) + timedelta(hours=1)
        n = next(numbers)
        issue = Issue(
            id=str(uuid.uuid4()),
            ref=f"2026-{n:06d}",
            status=status,
            category=category,
            description=description,
            lat=lat,
            lon=lon,
            unit_id=unit.id if unit else None,
            proposed_unit_id=unit.id if unit else None,
            reporter_id=reporter.id,
            reopen_count=reopen_count,
            extension_pending=extension_pending,
            content_hash="0" * 64,
            created_at=created_at,
            updated_at=closed_at or rectified_at or created_at,
            dispatched_at=created_at + timedelta(minutes=30) if accepted else None,
            due_at=due_at,
            rectified_at=rectified_at,
            closed_at=closed_at,
        )
        session.add(issue)
        session.flush()
        for layer, code in zones:
            session.add(IssueZone(issue_id=issue.id, layer=layer, code=code))
        events = [("report", None, "reported", "")] + [("accept", "reported", status, note) for note in notes]
        for seq, (action, before, after, note) in enumerate(events, start=1):
            at = created_at + timedelta(minutes=seq)
            session.add(
                IssueEvent(
                    issue_id=issue.id,
                    seq=seq,
                    action=action,
                    from_status=before,
                    to_status=after,
                    actor_id=reporter.id,
                    unit_id=unit.id if unit else None,
                    at=at,
                    note=note,
                )
            )
        session.commit()
        return issue

    return make
