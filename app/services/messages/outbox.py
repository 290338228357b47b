"""The outbox: a message per channel, written in the transaction of the event that causes it."""

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from app.config import Settings
from app.errors import Conflict, InvalidInput, NotFound
from app.models import Category, Issue, IssueEvent, IssueZone, Unit, Zone
from app.models.base import utcnow
from app.models.message import Channel, MessagePublic, OutboxMessage
from app.notify.platforms import Outgoing
from app.notify.texts import MessageKind, issue_message
from app.workflow.states import Action

LEADERS, UNIT_AUDIENCE = "leaders", "unit"
OFFICE_KIND = "office"  # units of this kind are the creation office (创建办): summaries go to them
# the issue events that tell the (new) responsible unit
EVENT_MESSAGES = {
    Action.accept: MessageKind.dispatch,
    Action.reassign: MessageKind.dispatch,
    Action.reopen: MessageKind.reopen,
}
MESSAGE_STATUSES = ("pending", "sending", "sent", "failed")


def issue_link(settings: Settings, issue_id: str) -> str:
    return f"{settings.public_url.rstrip('/')}/#/issues/{issue_id}"


def unit_channels(session: Session, unit_id: int, audience: str = UNIT_AUDIENCE) -> list[Channel]:
    return list(
        session.execute(
            select(Channel)
            .where(Channel.unit_id == unit_id, Channel.audience == audience, Channel.active.is_(True))
            .order_by(Channel.id)
        ).scalars()
    )


def leader_channels(session: Session, unit_id: int) -> list[Channel]:
    """The unit's leaders' group; without one, its parent unit's group."""
    found = unit_channels(session, unit_id, LEADERS)
    unit = session.get(Unit, unit_id)
    if not found and unit is not None and unit.parent_id is not None:
        found = unit_channels(session, unit.parent_id)
    return found


def office_channels(session: Session) -> list[Channel]:
    return list(
        session.execute(
            select(Channel)
            .join(Unit, Unit.id == Channel.unit_id)
            .where(Unit.kind == OFFICE_KIND, Channel.active.is_(True), Channel.audience == UNIT_AUDIENCE)
            .order_by(Channel.id)
        ).scalars()
    )


def enqueue(
    session: Session,
    channels: Sequence[Channel],
    kind: MessageKind,
    message: Outgoing,
    now: datetime,
    issue_id: str | None = None,
    dedupe_key: str | None = None,
) -> list[OutboxMessage]:
    """Adds one outbox row per channel to the session; the caller's commit writes them with its event."""
    rows = [
        OutboxMessage(
            channel_id=c.id,
            kind=kind.value,
            issue_id=issue_id,
            dedupe_key=dedupe_key,
            title=message.title[:200],
            body=message.body,
            link=message.link,
            next_at=now,
            created_at=now,
            queued_at=now,
        )
        for c in channels
    ]
    session.add_all(rows)
    return rows


def already_sent(session: Session, dedupe_key: str) -> bool:
    return (
        session.execute(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key).limit(1)
        ).first()
        is not None
    )


def issue_place(session: Session, issue_id: str) -> str:
    """The names of the zones the issue lies in, the inspection site first."""
    rows = session.execute(
        select(IssueZone.layer, Zone.name)
        .join(Zone, Zone.id == IssueZone.zone_id)
        .where(IssueZone.issue_id == issue_id)
    ).all()
    names = sorted(rows, key=lambda r: (r[0] != "site", r[0]))
    return "，".join(n for _, n in names[:2])


def issue_outgoing(
    session: Session, settings: Settings, issue: Issue, kind: MessageKind, note: str = "", extra: str = ""
) -> Outgoing:
    category = session.get(Category, issue.category)
    return issue_message(
        kind,
        issue.ref,
        category.name if category else issue.category,
        issue_place(session, issue.id),
        issue.due_at,
        ZoneInfo(settings.timezone),
        issue_link(settings, issue.id),
        note=note or issue.description,
        extra=extra,
    )


def on_issue_events(
    session: Session, settings: Settings, issue: Issue, events: Sequence[IssueEvent], now: datetime
) -> None:
    """Messages the events call for (dispatch, reassign, reopen → the responsible unit), in their transaction."""
    for event in events:
        kind = EVENT_MESSAGES.get(event.action)
        if kind is None or issue.unit_id is None:
            continue
        channels = unit_channels(session, issue.unit_id)
        if channels:
            note = event.note if kind == MessageKind.reopen else ""
            enqueue(
                session, channels, kind, issue_outgoing(session, settings, issue, kind, note), now, issue.id
            )


def message_public(session: Session, row: OutboxMessage) -> MessagePublic:
    channel = session.get(Channel, row.channel_id)
    unit = session.get(Unit, channel.unit_id)
    return MessagePublic(
        id=row.id,
        channel_id=channel.id,
        channel_name=channel.name,
        unit=unit.code,
        kind=row.kind,
        issue_id=row.issue_id,
        title=row.title,
        body=row.body,
        link=row.link,
        status=row.status,
        attempts=row.attempts,
        next_at=row.next_at,
        last_error=row.last_error,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


def list_messages(
    session: Session, status: str | None, unit_id: int | None, limit: int
) -> list[MessagePublic]:
    """The newest messages, of a status (failed: those the admin should look at) and a unit if given."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status is not None:
        if status not in MESSAGE_STATUSES:
            raise InvalidInput(f"status: one of {', '.join(MESSAGE_STATUSES)}")
        query = query.where(OutboxMessage.status == status)
    if unit_id is not None:
        query = query.join(Channel, Channel.id == OutboxMessage.channel_id).where(Channel.unit_id == unit_id)
    return [message_public(session, r) for r in session.execute(query).scalars()]


def resend(session: Session, message_id: int, now: datetime | None = None) -> MessagePublic:
    """Puts a failed message back in line (its attempts counted afresh)."""
    row = session.get(OutboxMessage, message_id)
    if row is None:
        raise NotFound(f"no message {message_id}")
    if row.status != "failed":
        raise Conflict(f"message {message_id} is {row.status}; only a failed message is resent")
    now = now or utcnow()
    row.status, row.attempts, row.next_at, row.queued_at = "pending", 0, now, now
    row.lease_until = row.claimed_by = None
    session.add(row)
    session.commit()
    return message_public(session, row)
