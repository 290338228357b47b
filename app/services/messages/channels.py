"""A unit's group robots: added, changed and listed by the admin; secrets are stored, never shown back."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select
from sqlmodel import Session

from app.errors import InvalidInput, NotFound
from app.models import Unit
from app.models.base import utcnow
from app.models.message import Channel, ChannelCreate, ChannelPublic, ChannelUpdate, MessagePublic
from app.notify.platforms import SIGNED, ChannelKind
from app.notify.texts import MessageKind, test_message
from app.services.messages.outbox import enqueue, message_public


def _unit(session: Session, code: str) -> Unit:
    """The unit named in the path (404 when there is none)."""
    unit = session.execute(select(Unit).where(Unit.code == code)).scalar()
    if unit is None:
        raise NotFound(f"no unit {code}")
    return unit


def _hide(value: str) -> str:
    return value[:4] + "…" if len(value) > 4 else "…"


def masked_url(url: str) -> str:
    """The webhook URL with its secret parts (query values, the last path segment) cut to 4 characters."""
    parts = urlsplit(url)
    query = urlencode([(k, _hide(v)) for k, v in parse_qsl(parts.query)], safe="…")
    head, _, last = parts.path.rpartition("/")
    path = f"{head}/{_hide(last)}" if len(last) > 8 else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def channel_public(session: Session, channel: Channel) -> ChannelPublic:
    unit = session.get(Unit, channel.unit_id)
    return ChannelPublic(
        id=channel.id,
        unit=unit.code,
        kind=ChannelKind(channel.kind),
        name=channel.name,
        audience=channel.audience,
        webhook_url=masked_url(channel.webhook_url),
        has_secret=bool(channel.secret),
        active=channel.active,
        created_at=channel.created_at,
    )


def _check_secret(kind: str, secret: str | None) -> None:
    if secret and kind not in SIGNED:
        raise InvalidInput(f"secret: a {kind} robot is not signed; leave the secret out")


def list_channels(session: Session, unit_code: str) -> list[ChannelPublic]:
    unit = _unit(session, unit_code)
    rows = session.execute(select(Channel).where(Channel.unit_id == unit.id).order_by(Channel.id)).scalars()
    return [channel_public(session, c) for c in rows]


def create_channel(session: Session, unit_code: str, data: ChannelCreate) -> ChannelPublic:
    unit = _unit(session, unit_code)
    _check_secret(data.kind, data.secret)
    channel = Channel(
        unit_id=unit.id,
        kind=data.kind.value,
        name=data.name,
        audience=data.audience,
        webhook_url=data.webhook_url,
        secret=data.secret,
    )
    session.add(channel)
    session.commit()
    return channel_public(session, channel)


def get_channel(session: Session, channel_id: int) -> Channel:
    channel = session.get(Channel, channel_id)
    if channel is None:
        raise NotFound(f"no channel {channel_id}")
    return channel


def update_channel(session: Session, channel_id: int, data: ChannelUpdate) -> ChannelPublic:
    channel = get_channel(session, channel_id)
    changes = data.model_dump(exclude_unset=True)
    if "secret" in changes:
        changes["secret"] = changes["secret"] or None
        _check_secret(channel.kind, changes["secret"])
    for name, value in changes.items():
        if value is not None or name == "secret":
            setattr(channel, name, value)
    session.add(channel)
    session.commit()
    return channel_public(session, channel)


def send_test(session: Session, channel_id: int) -> MessagePublic:
    """Queues a test message on the channel (the admin then sees it sent, or why not)."""
    channel = get_channel(session, channel_id)
    row = enqueue(session, [channel], MessageKind.test, test_message(channel.name), utcnow())[0]
    session.commit()
    return message_public(session, row)
