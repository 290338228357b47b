"""Writing an issue's history: refs handed out without gaps or twins, events appended with their photos."""

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session

from app.config import Settings
from app.models import Issue, IssueEvent, IssuePhoto, Unit
from app.services import feed
from app.services.messages.outbox import on_issue_events
from app.workflow.machine import EventDraft

# one statement on both databases: the row lock it takes (PostgreSQL) or the write lock (SQLite) is held to
# the commit, so concurrent creates get consecutive numbers and a rolled-back create gives its number back
_NEXT_REF = text(
    'INSERT INTO ref_counter (year, "last") VALUES (:year, 1) '
    'ON CONFLICT (year) DO UPDATE SET "last" = ref_counter."last" + 1 RETURNING "last"'
)


def next_ref(session: Session, now: datetime, timezone: str) -> str:
    """The next human reference of the year (local time), like 2026-000123."""
    year = now.astimezone(ZoneInfo(timezone)).year
    number = session.execute(_NEXT_REF, {"year": year}).scalar_one()
    return f"{year}-{number:06d}"


def append_events(
    session: Session,
    issue: Issue,
    drafts: Sequence[EventDraft],
    actor_id: int,
    actor_unit_id: int | None,
    at: datetime,
    first_seq: int,
    settings: Settings,
) -> list[IssueEvent]:
    """Adds the events (numbered from first_seq), links their photos, announces them on the live feed and
    writes the group-chat messages they call for (the outbox), all in the caller's transaction.

    The caller has already moved the issue (its status and unit are what the last event leads to) and
    commits after this.
    """
    events = []
    for n, draft in enumerate(drafts):
        event = IssueEvent(
            issue_id=issue.id,
            seq=first_seq + n,
            action=draft.action,
            from_status=draft.from_status,
            to_status=draft.to_status,
            actor_id=actor_id,
            actor_unit_id=actor_unit_id,
            unit_id=draft.unit_id,
            at=at,
            due_at=draft.due_at,
            note=draft.note,
            flags=",".join(draft.flags),
        )
        session.add(event)
        events.append(event)
    session.flush()
    for draft, event in zip(drafts, events, strict=True):
        for photo_id in draft.photo_ids:
            session.add(
                IssuePhoto(issue_id=issue.id, photo_id=photo_id, event_id=event.id, role=draft.photo_role)
            )
    session.flush()
    unit = session.get(Unit, issue.unit_id) if issue.unit_id else None
    # the unit its zones proposed may see the issue (workflow.may_see), so its live feed carries it too
    proposed = session.get(Unit, issue.proposed_unit_id) if issue.proposed_unit_id else None
    for event in events:
        feed.notify(
            session,
            {
                "issue_id": issue.id,
                "ref": issue.ref,
                "action": event.action,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "unit": unit.code if unit else None,
                "proposed_unit": proposed.code if proposed else None,
                "at": at.isoformat(),
            },
        )
    on_issue_events(session, settings, issue, events, at)
    return events
