"""Delivering the outbox: claim with a lease, POST to the robot, mark the outcome in the database.

A claimed message is the claimer's until its lease ends (far longer than one POST may take), so two workers
never send it at once; it is marked sent in the database as soon as the platform has taken it, so a restart
never sends it again. Only a crash between the platform's answer and that mark can repeat one message.
"""

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import and_, func, or_, select, update
from sqlmodel import Session

from app.config import Settings
from app.models.base import utcnow
from app.models.message import Channel, DeliveryAttempt, OutboxMessage
from app.notify.platforms import RATE_LIMITS, ChannelKind, Outgoing, Reply, build_request, read_reply

log = logging.getLogger("xuncha.messages")
THROTTLE_PAUSE = timedelta(seconds=60)


@dataclass(frozen=True)
class Claimed:
    id: int
    channel_id: int


def ready(now: datetime):
    return or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.next_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.lease_until < now),
    )


def _in_use(session: Session, channel_id: int, since: datetime) -> int:
    """POSTs made on the channel since `since`, plus the messages claimed for it and not yet tried."""
    tried = session.execute(
        select(func.count())
        .select_from(DeliveryAttempt)
        .where(DeliveryAttempt.channel_id == channel_id, DeliveryAttempt.at > since)
    ).scalar_one()
    claimed = session.execute(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.channel_id == channel_id, OutboxMessage.status == "sending")
    ).scalar_one()
    return tried + claimed


def _has_room(session: Session, channel: Channel, now: datetime) -> bool:
    """Whether one more message now keeps within the platform's documented rate limit."""
    if channel.paused_until is not None and channel.paused_until > now:
        return False
    limit = RATE_LIMITS[ChannelKind(channel.kind)]
    if _in_use(session, channel.id, now - timedelta(minutes=1)) >= limit.per_minute:
        return False
    return (
        limit.per_second is None
        or _in_use(session, channel.id, now - timedelta(seconds=1)) < limit.per_second
    )


def claim(session: Session, settings: Settings, worker: str, now: datetime, limit: int = 20) -> list[Claimed]:
    """Takes the oldest due message of each channel that has room in its rate (at most `limit`), each under a
    lease; commits each claim on its own, so the next rate check counts it."""
    channel_ids = (
        session.execute(select(OutboxMessage.channel_id).where(ready(now)).distinct()).scalars().all()
    )
    claimed: list[Claimed] = []
    lease = now + timedelta(seconds=settings.message_lease_s)
    for channel_id in sorted(channel_ids):
        if len(claimed) >= limit:
            break
        channel = session.get(Channel, channel_id, populate_existing=True)
        if not channel.active or not _has_room(session, channel, now):
            continue
        oldest = (
            select(OutboxMessage.id)
            .where(OutboxMessage.channel_id == channel_id, ready(now))
            .order_by(OutboxMessage.next_at, OutboxMessage.id)
            .limit(1)
        )
        message_id = session.execute(oldest).scalar()
        if message_id is None:
            continue
        # the condition is checked again under the row's lock: of two workers racing, one gets it
        taken = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, ready(now))
            .values(status="sending", lease_until=lease, claimed_by=worker)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:
            claimed.append(Claimed(message_id, channel_id))
        session.commit()
    return claimed


def post(client: httpx.Client, channel: Channel, message: Outgoing) -> Reply:
    """One POST to the robot; the platform's verdict is read from the body."""
    request = build_request(
        ChannelKind(channel.kind), channel.webhook_url, channel.secret, message, time.time()
    )
    try:
        answer = client.post(request.url, json=request.json)
    except httpx.TimeoutException:
        return Reply(False, "timed out")
    except httpx.HTTPError as e:
        return Reply(False, f"{type(e).__name__}: {e}"[:500])
    return read_reply(ChannelKind(channel.kind), answer.status_code, answer.text)


def backoff(settings: Settings, attempts: int) -> timedelta:
    return timedelta(
        seconds=min(settings.message_retry_base_s * 2 ** (attempts - 1), settings.message_retry_max_s)
    )


def finish(
    session: Session, settings: Settings, claimed: Claimed, worker: str, reply: Reply, now: datetime
) -> str:
    """Records the attempt and the message's new state (sent, pending again, or failed); commits."""
    row = session.get(OutboxMessage, claimed.id, populate_existing=True)
    session.add(
        DeliveryAttempt(
            message_id=claimed.id, channel_id=claimed.channel_id, at=now, ok=reply.ok, error=reply.error
        )
    )
    attempts = row.attempts + 1
    if reply.ok:
        values = {"status": "sent", "sent_at": now, "attempts": attempts, "last_error": None}
    else:
        retry_at = now + backoff(settings, attempts)
        if reply.throttled:
            channel = session.get(Channel, claimed.channel_id, populate_existing=True)
            channel.paused_until = now + THROTTLE_PAUSE
            session.add(channel)
            retry_at = max(retry_at, channel.paused_until)
        gave_up = retry_at - row.queued_at > timedelta(hours=settings.message_give_up_h)
        values = {
            "status": "failed" if gave_up else "pending",
            "attempts": attempts,
            "next_at": retry_at,
            "last_error": reply.error,
        }
    done = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == claimed.id,
            OutboxMessage.claimed_by == worker,
            OutboxMessage.status == "sending",
        )
        .values(**values, lease_until=None, claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        log.warning("message %s: lease lost before its outcome was written", claimed.id)
    session.commit()
    return str(values["status"])


def deliver_batch(
    session: Session,
    settings: Settings,
    client: httpx.Client,
    worker: str,
    now: datetime | None = None,
    max_rounds: int = 50,
) -> dict[str, int]:
    """Rounds of one due message per channel, each round checking every channel's rate again, until nothing
    is due and within its rate; returns how many ended in each state."""
    outcome: dict[str, int] = {}
    for _ in range(max_rounds):
        batch = claim(session, settings, worker, now or utcnow())
        if not batch:
            break
        for claimed in batch:
            row = session.get(OutboxMessage, claimed.id, populate_existing=True)
            channel = session.get(Channel, claimed.channel_id, populate_existing=True)
            reply = post(client, channel, Outgoing(row.title, row.body, row.link))
            state = finish(session, settings, claimed, worker, reply, now or utcnow())
            outcome[state] = outcome.get(state, 0) + 1
            if not reply.ok:
                log.warning("message %s to channel %s: %s", claimed.id, channel.id, reply.error)
    return outcome
