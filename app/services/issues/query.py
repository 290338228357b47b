"""Which issues a user may see, the list filters, and keyset pagination: the one place issues are queried.

Exports (app/services/exports/) and the dashboard reuse visible_clause, parse_issue_filters and
filtered_issues_query so that a list, a CSV and a count always mean the same issues.
"""

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, false, not_, or_, select, true
from sqlmodel import Session

from app.errors import InvalidInput, NotFound
from app.geo.layers import LAYERS
from app.models import Category, Issue, IssueZone, Status, Unit, User, Zone
from app.models.base import in_range, utcnow
from app.services.params import comma_list
from app.workflow.states import FIELD_ROLES, OFFICE_ROLES, UNIT_ROLES, WORKING_STATUSES

REF_PATTERN_LENGTH = 11  # 2026-000123


def visible_clause(user: User, issue=Issue) -> ColumnElement[bool]:
    """SQL for app.workflow.machine.may_see: the issues this user may see (the others answer 404)."""
    if user.role in OFFICE_ROLES:
        return true()
    if user.unit_id is None and user.role not in FIELD_ROLES:
        return false()
    if user.role in UNIT_ROLES:
        return or_(issue.unit_id == user.unit_id, issue.proposed_unit_id == user.unit_id)
    if user.role in FIELD_ROLES:
        if user.unit_id is None:
            return issue.reporter_id == user.id
        in_its_zones = exists(
            select(IssueZone.issue_id)
            .join(Zone, Zone.id == IssueZone.zone_id)
            .where(IssueZone.issue_id == issue.id, Zone.unit_id == user.unit_id)
        )
        return or_(issue.reporter_id == user.id, in_its_zones)
    return false()


def overdue_clause(now: datetime, issue=Issue) -> ColumnElement[bool]:
    """SQL for app.workflow.deadlines.is_overdue: past the deadline while the unit's clock runs."""
    return and_(issue.status.in_(WORKING_STATUSES), issue.due_at < now)


@dataclass(frozen=True)
class IssueFilters:
    """The list's filters, checked; every field narrows, an empty one does not."""

    statuses: tuple[str, ...] = ()
    unit_id: int | None = None
    categories: tuple[str, ...] = ()
    zone_layer: str | None = None
    zone_code: str | None = None
    overdue: bool | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (WGS-84)

    def conditions(self, now: datetime, issue=Issue) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = []
        if self.statuses:
            conds.append(issue.status.in_(self.statuses))
        if self.unit_id is not None:
            conds.append(issue.unit_id == self.unit_id)
        if self.categories:
            conds.append(issue.category.in_(self.categories))
        if self.zone_code:
            zone = [IssueZone.issue_id == issue.id, IssueZone.code == self.zone_code]
            if self.zone_layer:
                zone.append(IssueZone.layer == self.zone_layer)
            conds.append(exists(select(IssueZone.issue_id).where(*zone)))
        if self.overdue is not None:
            late = overdue_clause(now, issue)
            conds.append(late if self.overdue else not_(late))
        if self.bbox:
            w, s, e, n = self.bbox
            conds += [issue.lon >= w, issue.lon <= e, issue.lat >= s, issue.lat <= n]
        return conds


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """'w,s,e,n' in WGS-84 degrees, checked."""
    parts = text.split(",")
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError as err:
        raise InvalidInput(f"bbox: {text!r} is not four numbers west,south,east,north") from err
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        raise InvalidInput("bbox: the numbers must be finite")
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= 90 and -90 <= n <= 90):
        raise InvalidInput("bbox: longitudes lie in -180..180 and latitudes in -90..90")
    if w > e or s > n:
        raise InvalidInput("bbox: west must not exceed east, nor south north (the order is w,s,e,n)")
    return w, s, e, n


def parse_issue_filters(
    session: Session,
    status: str | None = None,
    unit: str | None = None,
    category: str | None = None,
    zone: str | None = None,
    overdue: bool | None = None,
    bbox: str | None = None,
) -> IssueFilters:
    """The query parameters of GET /issues (status and category take comma lists; zone `code` or
    `layer:code`), checked and resolved; a bad one is a 422 that names it."""
    statuses = comma_list(status)
    unknown = [s for s in statuses if s not in Status.__members__]
    if unknown:
        raise InvalidInput(f"status: unknown {', '.join(unknown)}; one of {', '.join(Status)}")
    categories = comma_list(category)
    if categories:
        known = set(session.execute(select(Category.code).where(Category.code.in_(categories))).scalars())
        missing = [c for c in categories if c not in known]
        if missing:
            raise InvalidInput(f"category: unknown {', '.join(missing)}; GET /api/v1/categories lists them")
    unit_id = None
    if unit:
        unit_id = session.execute(select(Unit.id).where(Unit.code == unit.strip())).scalar()
        if unit_id is None:
            raise InvalidInput(f"unit: no unit {unit!r}")
    layer, code = None, (zone or "").strip() or None
    if code and ":" in code:
        layer, code = code.split(":", 1)
        if layer not in LAYERS:
            raise InvalidInput(f"zone: {layer!r} is not a layer; one of {', '.join(LAYERS)}")
    return IssueFilters(
        statuses=statuses,
        unit_id=unit_id,
        categories=categories,
        zone_layer=layer,
        zone_code=code,
        overdue=overdue,
        bbox=parse_bbox(bbox) if bbox else None,
    )


def filtered_issues_query(user: User, filters: IssueFilters, now: datetime | None = None) -> Select:
    """SELECT issue rows this user may see that pass the filters; unordered, for the caller to order or page."""
    now = now or utcnow()
    return select(Issue).where(visible_clause(user), *filters.conditions(now))


# -- keyset pagination on (created_at, id), newest first


def encode_cursor(issue: Issue) -> str:
    raw = json.dumps([issue.created_at.isoformat(), issue.id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        when, issue_id = json.loads(raw)
        moment = datetime.fromisoformat(when)
        if moment.tzinfo is None or not isinstance(issue_id, str):
            raise ValueError("bad cursor")
        in_range(moment)
    except (ValueError, OverflowError, TypeError, binascii.Error, UnicodeDecodeError) as e:
        raise InvalidInput("cursor: not a cursor this list gave out; start again without it") from e
    return moment, issue_id


def page_query(query: Select, limit: int, cursor: str | None) -> Select:
    """The query ordered newest first, after the cursor, one row more than the page (to know if more follow)."""
    if cursor:
        created_at, issue_id = decode_cursor(cursor)
        # the first condition alone is a range on ix_issue_created (created_at, id); the second settles ties
        query = query.where(
            Issue.created_at <= created_at, or_(Issue.created_at < created_at, Issue.id < issue_id)
        )
    return query.order_by(Issue.created_at.desc(), Issue.id.desc()).limit(limit + 1)


# -- one issue


def find_issue(session: Session, key: str) -> Issue | None:
    """An issue by its id, or by its ref (2026-000123)."""
    issue = session.get(Issue, key)
    if issue is None and len(key) == REF_PATTERN_LENGTH and key[4:5] == "-":
        issue = session.execute(select(Issue).where(Issue.ref == key)).scalar()
    return issue


def visible_issue(session: Session, user: User, key: str) -> Issue:
    """The issue if this user may see it; NotFound (the same answer as for no such issue) otherwise."""
    issue = find_issue(session, key)
    if issue is None:
        raise NotFound(f"no issue {key}")
    seen = session.execute(select(Issue.id).where(Issue.id == issue.id, visible_clause(user))).scalar()
    if seen is None:
        raise NotFound(f"no issue {key}")
    return issue


def zone_unit_ids(session: Session, issue_id: str) -> frozenset[int]:
    """The units owning (now) the zones the issue lies in."""
    rows = session.execute(
        select(Zone.unit_id)
        .join(IssueZone, IssueZone.zone_id == Zone.id)
        .where(IssueZone.issue_id == issue_id)
    ).scalars()
    return frozenset(rows)
