"""Issues as the API shows them: rows of several tables gathered in a handful of queries per page."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, select
from sqlmodel import Session

from app.geo.layers import LAYERS
from app.models import Category, Issue, IssueEvent, IssuePhoto, IssueZone, Photo, Unit, User, Zone
from app.models.base import utcnow
from app.models.issue import EventPublic, IssuePhotoPublic, IssuePublic, PendingExtension, ZoneRef
from app.workflow.deadlines import is_overdue
from app.workflow.states import Action

LAYER_ORDER = {layer: i for i, layer in enumerate(LAYERS)}


def zone_refs(session: Session, ids: Sequence[str]) -> dict[str, list[ZoneRef]]:
    """The zones each issue fell in, with their names, in layer order (site before grid ...)."""
    zones_of: dict[str, list[ZoneRef]] = defaultdict(list)
    for iz, name in session.execute(
        select(IssueZone, Zone.name)
        .outerjoin(Zone, Zone.id == IssueZone.zone_id)
        .where(IssueZone.issue_id.in_(ids))
    ).all():
        zones_of[iz.issue_id].append(
            ZoneRef(layer=iz.layer, code=iz.code, name=name, distance_m=iz.distance_m)
        )
    for refs in zones_of.values():
        refs.sort(key=lambda z: LAYER_ORDER.get(z.layer, 99))
    return zones_of


def render_issue(session: Session, issue: Issue, now: datetime | None = None) -> IssuePublic:
    """One issue in its public shape (without possible_duplicates: see issues.create / get_issue)."""
    return render_issues(session, [issue], now)[0]


def render_issues(
    session: Session, issues: Sequence[Issue], now: datetime | None = None
) -> list[IssuePublic]:
    """Issues in their public shape, in the order given, with their zones, photos and events."""
    if not issues:
        return []
    now = now or utcnow()
    ids = [i.id for i in issues]
    # plain rows, not ORM objects: a page holds hundreds of events and only reads them
    events = session.execute(
        select(IssueEvent.__table__)
        .where(IssueEvent.issue_id.in_(ids))
        .order_by(IssueEvent.issue_id, IssueEvent.seq)
    )
    events_of: dict[str, list[Row]] = defaultdict(list)
    for e in events:
        events_of[e.issue_id].append(e)
    seq_of = {e.id: e.seq for es in events_of.values() for e in es}
    photos_of: dict[str, list[tuple[IssuePhoto, Photo]]] = defaultdict(list)
    for link, photo in session.execute(
        select(IssuePhoto, Photo)
        .join(Photo, Photo.id == IssuePhoto.photo_id)
        .where(IssuePhoto.issue_id.in_(ids))
    ).all():
        photos_of[link.issue_id].append((link, photo))
    zones_of = zone_refs(session, ids)
    all_events = [e for es in events_of.values() for e in es]
    user_ids = {i.reporter_id for i in issues} | {e.actor_id for e in all_events}
    users = {
        u.id: u
        for u in session.execute(
            select(User.id, User.username, User.display_name).where(User.id.in_(user_ids))
        )
    }
    unit_ids = {i.unit_id for i in issues} | {i.proposed_unit_id for i in issues}
    unit_ids |= {e.unit_id for e in all_events} | {e.actor_unit_id for e in all_events}
    unit_ids.discard(None)
    units = {
        u.id: u for u in session.execute(select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(unit_ids)))
    }
    categories = {i.category for i in issues}
    names = {
        c: n
        for c, n in session.execute(select(Category.code, Category.name).where(Category.code.in_(categories)))
    }

    def code(unit_id: int | None) -> str | None:
        return units[unit_id].code if unit_id in units else None

    def event(e: Row, photo_ids: list[str]) -> EventPublic:
        actor = users.get(e.actor_id)
        return EventPublic(
            seq=e.seq,
            action=e.action,
            from_status=e.from_status,
            to_status=e.to_status,
            actor=actor.username if actor else str(e.actor_id),
            actor_name=(actor.display_name or actor.username) if actor else "",
            actor_unit=code(e.actor_unit_id),
            at=e.at,
            note=e.note,
            photo_ids=photo_ids,
            unit=code(e.unit_id),
            due_at=e.due_at,
            flags=[f for f in e.flags.split(",") if f],
        )

    def pending(i: Issue, shown: list[EventPublic]) -> PendingExtension | None:
        asked = next((e for e in reversed(shown) if e.action == Action.extend), None)
        if not i.extension_pending or asked is None:
            return None
        return PendingExtension(
            due_at=asked.due_at,
            note=asked.note,
            actor=asked.actor,
            actor_name=asked.actor_name,
            actor_unit=asked.actor_unit,
            at=asked.at,
        )

    out = []
    for i in issues:
        links = sorted(photos_of[i.id], key=lambda lp: (seq_of.get(lp[0].event_id, 0), lp[0].photo_id))
        by_event: dict[int | None, list[str]] = defaultdict(list)
        for link, _ in links:
            by_event[link.event_id].append(link.photo_id)
        shown_events = [event(e, by_event.get(e.id, [])) for e in events_of[i.id]]
        reporter = users.get(i.reporter_id)
        unit = units.get(i.unit_id)
        out.append(
            IssuePublic(
                id=i.id,
                ref=i.ref,
                status=i.status,
                category=i.category,
                category_name=names.get(i.category),
                description=i.description,
                lat=i.lat,
                lon=i.lon,
                accuracy_m=i.accuracy_m,
                zones=zones_of[i.id],
                unit=unit.code if unit else None,
                unit_name=unit.name if unit else None,
                proposed_unit=code(i.proposed_unit_id),
                reporter=reporter.username if reporter else str(i.reporter_id),
                reporter_name=(reporter.display_name or reporter.username) if reporter else "",
                created_at=i.created_at,
                updated_at=i.updated_at,
                dispatched_at=i.dispatched_at,
                due_at=i.due_at,
                rectified_at=i.rectified_at,
                closed_at=i.closed_at,
                overdue=is_overdue(i.status, i.due_at, now),
                duplicate_of=i.duplicate_of,
                fixed_on_site=i.fixed_on_site,
                disputed=i.disputed,
                extension_pending=i.extension_pending,
                reopen_count=i.reopen_count,
                version=i.version,
                photos=[
                    IssuePhotoPublic(
                        id=p.id,
                        role=link.role,
                        event_seq=seq_of.get(link.event_id),
                        url=f"/api/v1/photos/{p.id}",
                        thumb_url=f"/api/v1/photos/{p.id}/thumb",
                        taken_at=p.taken_at,
                        lat=p.lat,
                        lon=p.lon,
                    )
                    for link, p in links
                ],
                events=shown_events,
                pending_extension=pending(i, shown_events),
            )
        )
    return out
