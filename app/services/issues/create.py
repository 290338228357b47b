"""Creating an issue: idempotent on the client's id, located in its zones, numbered, surfaced beside its
near-duplicates; an on-the-spot fix (立行立改) arrives already rectified."""

import hashlib
import json
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from app.config import Settings
from app.errors import Conflict
from app.geo import distance_m, to_wgs84
from app.geo.metric import degrees_around
from app.models import Issue, IssueZone, User, Zone
from app.models.base import utcnow
from app.models.issue import DuplicateCandidate, IssueCreate, IssuePublic
from app.services import zones
from app.services.categories import get_category
from app.services.issues.evidence import evidence_rules, load_photos, photo_facts
from app.services.issues.query import visible_clause
from app.services.issues.refusals import refusal_error
from app.services.issues.render import render_issue
from app.services.issues.store import append_events, next_ref
from app.workflow.machine import Actor, Context, Refusal, Report, report
from app.workflow.states import OPEN_STATUSES

MAX_DUPLICATES = 10


def content_hash(reporter_id: int, data: IssueCreate) -> str:
    """What makes a retry 'the same': who sent it and everything it says but its id."""
    body = data.model_dump(mode="json", exclude={"id"})
    body["reporter_id"] = reporter_id
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def create_issue(
    session: Session,
    settings: Settings,
    reporter: User,
    data: IssueCreate,
    now: datetime | None = None,
    extra_rows: Sequence[SQLModel] = (),
) -> tuple[IssuePublic, bool]:
    """Report an issue; commits. Used by POST /api/v1/issues and by Open311 POST.

    Returns (the issue with possible_duplicates, True) when it is new, or (the same, False) when `data.id`
    names an issue this reporter already sent with the same content (a retry: nothing is written).
    Photos are optional here (Open311 sends none); POST /api/v1/issues requires one through IssueReport.
    `extra_rows` (e.g. Open311's record of the request) are written in the same commit, and only when the
    issue is new. Raises Conflict (409) when `data.id` is taken by other content; PermissionDenied (403) for fixed_on_site
    by a role other than grid_worker or road_chief; InvalidInput (422) for an unknown category, an unknown
    photo, or after-photos that break the anti-fraud rules.
    """
    now = now or utcnow()
    issue_id = str(data.id or uuid.uuid4())
    digest = content_hash(reporter.id, data)
    existing = session.get(Issue, issue_id)
    if existing is not None:
        return _retried(session, settings, reporter, existing, digest)
    try:
        issue = add_issue(session, settings, reporter, data, now, issue_id=issue_id, digest=digest)
        session.add_all(extra_rows)  # rows of the caller's that belong with a new issue, in its one commit
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = session.get(Issue, issue_id)
        if existing is None:
            raise
        return _retried(session, settings, reporter, existing, digest)
    return _shown(session, settings, reporter, issue, now), True


def add_issue(
    session: Session,
    settings: Settings,
    reporter: User,
    data: IssueCreate,
    now: datetime,
    issue_id: str | None = None,
    digest: str | None = None,
    unit_id: int | None = None,
    site: Zone | None = None,
) -> Issue:
    """Adds a new issue, its zones and events to the session without committing (the caller's transaction
    may hold more: an inspection writes all its failed items at once). Raises as create_issue does.

    `unit_id` proposes that unit instead of the zones' one; `site` records that site zone whatever the point's.
    """
    issue_id = issue_id or str(data.id or uuid.uuid4())
    digest = digest or content_hash(reporter.id, data)
    lon, lat = to_wgs84(data.lon, data.lat, data.crs)
    before = load_photos(session, data.photo_ids)
    after = load_photos(session, data.after_photo_ids)
    rules = evidence_rules(settings)
    before_facts = photo_facts(session, settings, before, lon, lat, None, check_reuse=False)
    after_facts = photo_facts(
        session,
        settings,
        after,
        lon,
        lat,
        None,
        check_reuse=True,
        also_against=[p for p in before.values() if p is not None],
        also_named="a before photo of this report",
    )
    times = [f.taken_at for f in before_facts if f.taken_at is not None]
    new = Report(
        photos=before_facts,
        note=data.description.strip(),
        fixed_on_site=data.fixed_on_site,
        after_photos=after_facts,
        found_at=min(times, default=None),
    )
    outcome = report(Actor(reporter.id, reporter.role, reporter.unit_id), new, Context(now, None, rules))
    if isinstance(outcome, Refusal):
        raise refusal_error(outcome)
    category = get_category(session, data.category)
    where = zones.locate(session, lon, lat, data.accuracy_m)
    proposed = unit_id if unit_id is not None else where.unit_id
    issue = Issue(
        id=issue_id,
        ref=next_ref(session, now, settings.timezone),  # the first write: it serialises concurrent creates
        category=category.code,
        description=data.description.strip(),
        lat=lat,
        lon=lon,
        accuracy_m=data.accuracy_m,
        unit_id=proposed,
        proposed_unit_id=proposed,
        reporter_id=reporter.id,
        content_hash=digest,
        version=len(outcome.events),
        created_at=now,
        updated_at=now,
        **outcome.changes,
    )
    session.add(issue)
    session.flush()  # a concurrent create of the same id fails here
    seen: set[str] = set()
    for m in where.matches:  # in precedence order: the most specific zone of each layer
        if m.layer not in seen and not (site is not None and m.layer == "site"):
            seen.add(m.layer)
            session.add(
                IssueZone(
                    issue_id=issue_id, layer=m.layer, code=m.code, zone_id=m.zone_id, distance_m=m.distance_m
                )
            )
    if site is not None:
        distance = next((m.distance_m for m in where.matches if m.zone_id == site.id), 0.0)
        session.add(
            IssueZone(issue_id=issue_id, layer="site", code=site.code, zone_id=site.id, distance_m=distance)
        )
    append_events(
        session, issue, outcome.events, reporter.id, reporter.unit_id, now, first_seq=1, settings=settings
    )
    return issue


def _retried(
    session: Session, settings: Settings, reporter: User, existing: Issue, digest: str
) -> tuple[IssuePublic, bool]:
    if existing.content_hash != digest:
        raise Conflict(
            f"issue id {existing.id} is already used by another report; a new report needs a new id "
            "(only a retry of the very same report may reuse it)"
        )
    return _shown(session, settings, reporter, existing, utcnow()), False


def _shown(session: Session, settings: Settings, user: User, issue: Issue, now: datetime) -> IssuePublic:
    shown = render_issue(session, issue, now)
    shown.possible_duplicates = possible_duplicates(session, settings, user, issue)
    return shown


def possible_duplicates(
    session: Session, settings: Settings, user: User, issue: Issue
) -> list[DuplicateCandidate]:
    """Open issues of the same category within duplicate_radius_m that this user may see, nearest first."""
    radius = settings.duplicate_radius_m
    if radius <= 0:
        return []
    dlon, dlat = (float(v) for v in degrees_around(issue.lat, radius))
    rows = session.execute(
        select(Issue).where(
            Issue.id != issue.id,
            Issue.category == issue.category,
            Issue.status.in_(OPEN_STATUSES),
            Issue.lat.between(issue.lat - dlat, issue.lat + dlat),
            Issue.lon.between(issue.lon - dlon, issue.lon + dlon),
            visible_clause(user),
        )
    ).scalars()
    near = []
    for other in rows:
        d = distance_m(issue.lon, issue.lat, other.lon, other.lat)
        if d <= radius:
            near.append(
                DuplicateCandidate(
                    id=other.id,
                    ref=other.ref,
                    status=other.status,
                    category=other.category,
                    distance_m=round(d, 1),
                    created_at=other.created_at,
                )
            )
    near.sort(key=lambda c: (c.distance_m, c.created_at))
    return near[:MAX_DUPLICATES]
