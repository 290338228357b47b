"""Directives (指令): the office sends one to units (or to the units of chosen zones); each recipient unit
acknowledges it (已阅) and reports it done with a note and photos; the office sees who has not."""

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from app.config import Settings
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.models import OFFICE_ROLES, Photo, Unit, User, Zone
from app.models.base import utcnow
from app.models.directive import (
    Directive,
    DirectiveCreate,
    DirectiveDone,
    DirectivePhoto,
    DirectivePublic,
    DirectiveRecipient,
    RecipientPublic,
)
from app.notify.texts import MessageKind, directive_message
from app.services.messages.outbox import enqueue, unit_channels

MAX_LISTED = 200
STATES = ("unread", "read", "done", "late")


def directive_link(settings: Settings, directive_id: int) -> str:
    return f"{settings.public_url.rstrip('/')}/#/directives/{directive_id}"


def _recipient_units(session: Session, data: DirectiveCreate) -> list[Unit]:
    """The units named, and the units of the zones named ("layer:code", or a site's code); 422 on unknowns."""
    units: dict[int, Unit] = {}
    for code in dict.fromkeys(data.units):
        unit = session.execute(select(Unit).where(Unit.code == code)).scalar()
        if unit is None or not unit.active:
            raise InvalidInput(f"units: no active unit {code!r}")
        units[unit.id] = unit
    for ref in dict.fromkeys(data.zones):
        layer, _, code = ref.rpartition(":")
        zone = session.execute(
            select(Zone).where(Zone.layer == (layer or "site"), Zone.code == code)
        ).scalar()
        if zone is None:
            raise InvalidInput(f"zones: no zone {ref!r} (give layer:code, or a site's code)")
        owner = session.get(Unit, zone.unit_id)
        if owner is not None and owner.active and owner.id is not None:
            units[owner.id] = owner
    if not units:
        raise InvalidInput("units, zones: name at least one unit or zone to send the directive to")
    return list(units.values())


def _own_photos(session: Session, user: User, ids: Sequence[str], field: str) -> list[str]:
    """The photo ids, each one the user uploaded (422 otherwise)."""
    ids = list(dict.fromkeys(ids))
    for photo_id in ids:
        photo = session.get(Photo, photo_id)
        if photo is None:
            raise InvalidInput(f"{field}: no photo {photo_id}; upload it first with POST /api/v1/photos")
        if photo.uploader_id != user.id:
            raise InvalidInput(f"{field}: photo {photo_id} was uploaded by someone else; attach your own")
    return ids


def send_directive(
    session: Session, settings: Settings, user: User, data: DirectiveCreate, now: datetime | None = None
) -> DirectivePublic:
    """Sends a directive to its units; their group chats are told in the same commit."""
    now = now or utcnow()
    if data.due_at <= now:
        raise InvalidInput("due_at: the deadline must be in the future")
    units = _recipient_units(session, data)
    photo_ids = _own_photos(session, user, data.photo_ids, "photo_ids")
    directive = Directive(
        title=data.title.strip(),
        text=data.text.strip(),
        due_at=data.due_at,
        created_by=user.id,
        created_at=now,
    )
    session.add(directive)
    session.flush()
    session.add_all(DirectiveRecipient(directive_id=directive.id, unit_id=u.id) for u in units)
    session.add_all(DirectivePhoto(directive_id=directive.id, photo_id=p) for p in photo_ids)
    message = directive_message(
        directive.title,
        directive.text,
        directive.due_at,
        ZoneInfo(settings.timezone),
        directive_link(settings, directive.id),
    )
    for unit in units:
        enqueue(session, unit_channels(session, unit.id), MessageKind.directive, message, now)
    session.commit()
    return render(session, user, directive, now)


def _visible(session: Session, user: User, directive_id: int) -> Directive:
    directive = session.get(Directive, directive_id)
    if directive is None or (
        user.role not in OFFICE_ROLES and _recipient(session, user, directive_id) is None
    ):
        raise NotFound(f"no directive {directive_id}")
    return directive


def _recipient(session: Session, user: User, directive_id: int) -> DirectiveRecipient | None:
    if user.unit_id is None:
        return None
    return session.get(DirectiveRecipient, (directive_id, user.unit_id))


def _own_row(session: Session, user: User, directive_id: int) -> tuple[Directive, DirectiveRecipient]:
    """The directive and the user's unit's row of it, for acknowledging or reporting (the office may not)."""
    directive = _visible(session, user, directive_id)
    if user.role in OFFICE_ROLES:
        raise PermissionDenied("the office sends directives; the units it sent them to acknowledge them")
    row = _recipient(session, user, directive_id)
    if row is None:  # _visible lets a non-office user through only as a recipient
        raise NotFound(f"no directive {directive_id}")
    return directive, row


def get_directive(session: Session, user: User, directive_id: int) -> DirectivePublic:
    return render(session, user, _visible(session, user, directive_id), utcnow())


def mark_read(
    session: Session, user: User, directive_id: int, now: datetime | None = None
) -> DirectivePublic:
    """已阅: the first acknowledgement counts; another is answered as it stands."""
    now = now or utcnow()
    directive, row = _own_row(session, user, directive_id)
    if row.read_at is None:
        row.read_at, row.read_by = now, user.id
        session.add(row)
        session.commit()
    return render(session, user, directive, now)


def report_done(
    session: Session, user: User, directive_id: int, data: DirectiveDone, now: datetime | None = None
) -> DirectivePublic:
    """The unit reports the directive carried out, with a note and photos (which also acknowledge it)."""
    now = now or utcnow()
    directive, row = _own_row(session, user, directive_id)
    if row.done_at is not None:
        raise Conflict(f"directive {directive_id} was already reported done by your unit")
    photo_ids = _own_photos(session, user, data.photo_ids, "photo_ids")
    if row.read_at is None:
        row.read_at, row.read_by = now, user.id
    row.done_at, row.done_by, row.done_note = now, user.id, data.note.strip()
    session.add(row)
    session.add_all(
        DirectivePhoto(directive_id=directive_id, unit_id=row.unit_id, photo_id=p) for p in photo_ids
    )
    session.commit()
    return render(session, user, directive, now)


def is_late(due_at: datetime, done_at: datetime | None, now: datetime) -> bool:
    return done_at > due_at if done_at is not None else now > due_at


def _state(row: DirectiveRecipient) -> str:
    return "done" if row.done_at else "read" if row.read_at else "unread"


def render(session: Session, user: User, directive: Directive, now: datetime) -> DirectivePublic:
    rows = list(
        session.execute(
            select(DirectiveRecipient).where(DirectiveRecipient.directive_id == directive.id)
        ).scalars()
    )
    photos = session.execute(
        select(DirectivePhoto.unit_id, DirectivePhoto.photo_id)
        .where(DirectivePhoto.directive_id == directive.id)
        .order_by(DirectivePhoto.id)
    ).all()
    counts = {s: 0 for s in STATES} | {"total": len(rows)}
    for row in rows:
        counts[_state(row)] += 1
        counts["late"] += is_late(directive.due_at, row.done_at, now)
    if user.role not in OFFICE_ROLES:
        rows = [r for r in rows if r.unit_id == user.unit_id]
    units = {
        u.id: u for u in session.execute(select(Unit).where(Unit.id.in_([r.unit_id for r in rows]))).scalars()
    }
    user_ids = {directive.created_by} | {i for r in rows for i in (r.read_by, r.done_by) if i}
    names: dict[int, str] = dict(
        session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all()
    )
    recipients = [
        RecipientPublic(
            unit=units[r.unit_id].code,
            unit_name=units[r.unit_id].name,
            state=_state(r),
            late=is_late(directive.due_at, r.done_at, now),
            read_at=r.read_at,
            read_by=names.get(r.read_by),
            done_at=r.done_at,
            done_by=names.get(r.done_by),
            done_note=r.done_note,
            photo_ids=[p for u, p in photos if u == r.unit_id],
        )
        for r in sorted(rows, key=lambda r: units[r.unit_id].code)
    ]
    return DirectivePublic(
        id=directive.id,
        title=directive.title,
        text=directive.text,
        due_at=directive.due_at,
        created_by=names[directive.created_by],
        created_at=directive.created_at,
        photo_ids=[p for u, p in photos if u is None],
        counts=counts,
        recipients=recipients,
    )


def list_directives(
    session: Session, user: User, state: str | None = None, now: datetime | None = None
) -> list[DirectivePublic]:
    """Newest first: every directive for the office; the user's unit's for others (its inbox). With a state
    (unread, read, done, late), only those where some recipient (for a unit: itself) is in it."""
    now = now or utcnow()
    if state is not None and state not in STATES:
        raise InvalidInput(f"state: one of {', '.join(STATES)}")
    query = select(Directive).order_by(Directive.created_at.desc(), Directive.id.desc()).limit(MAX_LISTED)
    if user.role not in OFFICE_ROLES:
        if user.unit_id is None:
            return []
        query = query.join(DirectiveRecipient, DirectiveRecipient.directive_id == Directive.id).where(
            DirectiveRecipient.unit_id == user.unit_id
        )
    shown = [render(session, user, d, now) for d in session.execute(query).scalars()]
    if state is None:
        return shown
    if state == "late":
        return [d for d in shown if any(r.late for r in d.recipients)]
    return [d for d in shown if any(r.state == state for r in d.recipients)]
