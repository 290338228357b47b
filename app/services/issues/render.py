"""Issues as the API shows them: rows of several tables gathered in a handful of queries per page."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlmodel import Session

from app.geo.layers import LAYERS
from app.models import Issue, IssueEvent, IssuePhoto, IssueZone, Photo, Zone
from app.models.base import utcnow
from app.models.issue import EventPublic, IssuePhotoPublic, IssuePublic, PendingExtension, ZoneRef
from app.services.issues.names import Names, load_names
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
    events_of = _events_of(session, ids)
    all_events = [e for es in events_of.values() for e in es]
    seq_of = {e.id: e.seq for e in all_events}
    photos_of = _photos_of(session, ids)
    zones_of = zone_refs(session, ids)
    names = load_names(
        session,
        {i.reporter_id for i in issues} | {e.actor_id for e in all_events},
        {i.unit_id for i in issues}
        | {i.proposed_unit_id for i in issues}
        | {e.unit_id for e in all_events}
        | {e.actor_unit_id for e in all_events},
        {i.category for i in issues},
    )
    out = []
    for i in issues:
        links = sorted(photos_of[i.id], key=lambda lp: (seq_of.get(lp[0].event_id, 0), lp[0].photo_id))
        by_event: dict[int | None, list[str]] = defaultdict(list)
        for link, _ in links:
            by_event[link.event_id].append(link.photo_id)
        shown = [_event_public(e, by_event.get(e.id, []), names) for e in events_of[i.id]]
        out.append(_issue_public(i, names, zones_of[i.id], _photos_public(links, seq_of), shown, now))
    return out


def _events_of(session: Session, ids: Sequence[str]) -> dict[str, list[Row]]:
    """Each issue's events in order; plain rows, not ORM objects: a page holds hundreds and only reads them."""
    events_of: dict[str, list[Row]] = defaultdict(list)
    for e in session.execute(
        select(IssueEvent.__table__)
        .where(IssueEvent.issue_id.in_(ids))
        .order_by(IssueEvent.issue_id, IssueEvent.seq)
    ):
        events_of[e.issue_id].append(e)
    return events_of


def _photos_of(session: Session, ids: Sequence[str]) -> dict[str, list[tuple[IssuePhoto, Photo]]]:
    photos_of: dict[str, list[tuple[IssuePhoto, Photo]]] = defaultdict(list)
    for link, photo in session.execute(
        select(IssuePhoto, Photo)
        .join(Photo, Photo.id == IssuePhoto.photo_id)
        .where(IssuePhoto.issue_id.in_(ids))
    ).all():
        photos_of[link.issue_id].append((link, photo))
    return photos_of


def _event_public(e: Row, photo_ids: list[str], names: Names) -> EventPublic:
    return EventPublic(
        seq=e.seq,
        action=e.action,
        from_status=e.from_status,
        to_status=e.to_status,
        actor=names.username(e.actor_id),
        actor_name=names.display_name(e.actor_id),
        actor_unit=names.unit_code(e.actor_unit_id),
        at=e.at,
        note=e.note,
        photo_ids=photo_ids,
        unit=names.unit_code(e.unit_id),
        due_at=e.due_at,
        flags=[f for f in e.flags.split(",") if f],
    )


def _photos_public(links: list[tuple[IssuePhoto, Photo]], seq_of: dict[int, int]) -> list[IssuePhotoPublic]:
    return [
        IssuePhotoPublic(
            id=p.id,
            role=link.role,
            event_seq=seq_of.get(link.event_id) if link.event_id is not None else None,
            url=f"/api/v1/photos/{p.id}",
            thumb_url=f"/api/v1/photos/{p.id}/thumb",
            taken_at=p.taken_at,
            lat=p.lat,
            lon=p.lon,
        )
        for link, p in links
    ]


def _pending_extension(issue: Issue, shown: list[EventPublic]) -> PendingExtension | None:
    """The unit's open request for more time, from its last `extend` event."""
    asked = next((e for e in reversed(shown) if e.action == Action.extend), None)
    if not issue.extension_pending or asked is None:
        return None
    return PendingExtension(
        due_at=asked.due_at,
        note=asked.note,
        actor=asked.actor,
        actor_name=asked.actor_name,
        actor_unit=asked.actor_unit,
        at=asked.at,
    )


def _issue_public(
    i: Issue,
    names: Names,
    zones: list[ZoneRef],
    photos: list[IssuePhotoPublic],
    events: list[EventPublic],
    now: datetime,
) -> IssuePublic:
    return IssuePublic(
        **common_fields(i, names, zones, now),
        accuracy_m=i.accuracy_m,
        dispatched_at=i.dispatched_at,
        rectified_at=i.rectified_at,
        closed_at=i.closed_at,
        photos=photos,
        events=events,
        pending_extension=_pending_extension(i, events),
    )


def common_fields(i: Issue, names: Names, zones: list[ZoneRef], now: datetime) -> dict[str, Any]:
    """The fields the full and the slim shapes of an issue both show, spelled once."""
    return {
        "id": i.id,
        "ref": i.ref,
        "status": i.status,
        "category": i.category,
        "category_name": names.categories.get(i.category),
        "description": i.description,
        "lat": i.lat,
        "lon": i.lon,
        "zones": zones,
        "unit": names.unit_code(i.unit_id),
        "unit_name": names.unit_name(i.unit_id),
        "proposed_unit": names.unit_code(i.proposed_unit_id),
        "reporter": names.username(i.reporter_id),
        "reporter_name": names.display_name(i.reporter_id),
        "created_at": i.created_at,
        "updated_at": i.updated_at,
        "due_at": i.due_at,
        "overdue": is_overdue(i.status, i.due_at, now),
        "duplicate_of": i.duplicate_of,
        "fixed_on_site": i.fixed_on_site,
        "disputed": i.disputed,
        "extension_pending": i.extension_pending,
        "reopen_count": i.reopen_count,
        "version": i.version,
    }
