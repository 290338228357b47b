"""Escalation (督办): a scheduled job appends an escalation event by the system user to each issue overdue
long enough, and tells the unit's leaders or the office, in one transaction."""

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select, update
from sqlmodel import Session

from app.config import Settings
from app.models import Issue, IssueEvent, Role, User
from app.notify.texts import MessageKind
from app.services.calendar import work_calendar
from app.services.issues.store import append_events
from app.services.messages.outbox import enqueue, issue_outgoing, leader_channels, office_channels
from app.workflow.escalation import (
    ESCALATE,
    LEADERS,
    LEVEL_FLAGS,
    OFFICE,
    Ladder,
    escalation_draft,
    level_due,
)
from app.workflow.states import WORKING_STATUSES, Status

SYSTEM_USERNAME = "system"  # the actor of what the server does by itself (made by migration 0009)


def system_user(session: Session) -> User:
    """The system's own user (inactive: it never signs in); made here too if a reset database lacks it."""
    user = session.execute(select(User).where(User.username == SYSTEM_USERNAME)).scalar()
    if user is None:
        user = User(
            username=SYSTEM_USERNAME, display_name="系统", role=Role.office, password_hash="!", active=False
        )
        session.add(user)
        session.flush()
    return user


def _escalated(level: int):
    """An escalation event of this rung for the issue's present deadline."""
    return exists().where(
        and_(
            IssueEvent.issue_id == Issue.id,
            IssueEvent.action == ESCALATE,
            IssueEvent.due_at == Issue.due_at,
            IssueEvent.flags.contains(LEVEL_FLAGS[level]),
        )
    )


def escalate_overdue(session: Session, settings: Settings, now: datetime, _last: datetime | None) -> None:
    ladder = Ladder(settings.escalate_leaders_work_hours, settings.escalate_office_work_hours)
    rungs = [h for h in (ladder.leaders_after_h, ladder.office_after_h) if h > 0]
    if not rungs:
        return
    candidates = (
        session.execute(
            select(Issue).where(
                Issue.status.in_(WORKING_STATUSES),
                Issue.unit_id.is_not(None),
                Issue.due_at <= now - timedelta(hours=min(rungs)),  # working hours never outrun clock hours
                ~_escalated(OFFICE),
            )
        )
        .scalars()
        .all()
    )
    if not candidates:
        return
    calendar = work_calendar(session, settings)
    system = system_user(session)
    for issue in candidates:
        hours = calendar.work_hours_between(issue.due_at, now)
        top = level_due(ladder, hours)
        done = {
            flag
            for (flags,) in session.execute(
                select(IssueEvent.flags).where(
                    IssueEvent.issue_id == issue.id,
                    IssueEvent.action == ESCALATE,
                    IssueEvent.due_at == issue.due_at,
                )
            )
            for flag in flags.split(",")
        }
        levels = [lv for lv in (LEADERS, OFFICE) if lv <= top and LEVEL_FLAGS[lv] not in done]
        if levels:
            _escalate(session, settings, issue, levels, hours, system, now)


def _escalate(
    session: Session,
    settings: Settings,
    issue: Issue,
    levels: list[int],
    hours: float,
    system: User,
    now: datetime,
) -> None:
    seen = issue.version
    moved = session.execute(
        update(Issue)
        .where(Issue.id == issue.id, Issue.version == seen)
        .values(version=seen + len(levels), updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # someone acted on it this moment: the next run looks again
        return
    drafts = [escalation_draft(Status(issue.status), lv, hours, issue.due_at) for lv in levels]
    append_events(session, issue, drafts, system.id, None, now, first_seq=seen + 1, settings=settings)
    for level in levels:
        channels = leader_channels(session, issue.unit_id) if level == LEADERS else office_channels(session)
        extra = f"已超期 {hours:.1f} 个工作时"
        enqueue(
            session,
            channels,
            MessageKind.escalation,
            issue_outgoing(session, settings, issue, MessageKind.escalation, extra=extra),
            now,
            issue.id,
        )
    session.expire(issue)
