"""Dashboard figures: summary, per unit, one unit, per site, the overdue list. SQL aggregates, never rows.

Every figure is one aggregate query over the issue table (or its covering indexes, app/models/indexes.py),
the same SQL on SQLite and PostgreSQL; Python only divides the handful of sums that come back.
"""

import base64
import binascii
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlmodel import Session

from app.errors import InvalidInput, NotFound, PermissionDenied
from app.models import OFFICE_ROLES, Issue, IssueZone, Role, Status, Unit, User, Zone
from app.models.base import in_range, utcnow
from app.models.indexes import overdue_predicate
from app.models.stats import (
    Indicators,
    OverdueIssue,
    OverduePage,
    SiteStats,
    Summary,
    UnitFigures,
    UnitStats,
)
from app.services.inspections.readiness import least_ready_first, with_readiness
from app.services.issues.query import overdue_clause
from app.services.stats.filters import StatsFilter
from app.workflow.states import ACCEPTED_STATUSES, ASSIGNED_OPEN_STATUSES, OPEN_STATUSES, WORKING_STATUSES

MAX_PAGE = 500


def rate(numerator: int, denominator: int) -> float | None:
    """A share; None when there is nothing to share (no accepted issue has no rate, not a rate of 0)."""
    return numerator / denominator if denominator else None


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """Rows meeting `condition`: COUNT(*) FILTER (WHERE ...), cheaper per row than SUM(CASE ...) and 0, not NULL,
    when none do (SQLite has FILTER since 3.30)."""
    return func.count().filter(condition)


INDICATOR_SUMS = (
    "accepted",
    "closed",
    "due",
    "on_time",
    "rectified",
    "reopened",
    "overdue",
    "extension_pending",
)


def _indicator_columns(now: datetime) -> list[ColumnElement[int]]:
    closed = Issue.status == Status.closed
    due = and_(
        Issue.due_at.is_not(None),
        or_(closed, and_(Issue.due_at < now, not_(Issue.extension_pending))),
    )
    on_time = and_(closed, func.coalesce(Issue.rectified_at, Issue.closed_at) <= Issue.due_at)
    return [
        _count(Issue.status.in_(ACCEPTED_STATUSES)).label("accepted"),
        _count(closed).label("closed"),
        _count(due).label("due"),
        _count(on_time).label("on_time"),
        _count(or_(Issue.rectified_at.is_not(None), Issue.reopen_count > 0)).label("rectified"),
        _count(Issue.reopen_count > 0).label("reopened"),
        _count(overdue_clause(now)).label("overdue"),
        _count(and_(Issue.extension_pending, Issue.status.in_(WORKING_STATUSES))).label("extension_pending"),
    ]


def summary_query(flt: StatsFilter):
    """Counts by status: an index-only scan of ix_issue_status_due when unfiltered."""
    return select(Issue.status, func.count()).where(*flt.conditions()).group_by(Issue.status)


def overdue_count_query(flt: StatsFilter, now: datetime):
    """The overdue count: index range scans (status, due_at) that touch only the overdue entries.

    Counted apart from the status counts so that the million other rows cost no per-row CASE."""
    return select(func.count()).select_from(Issue).where(overdue_clause(now), *flt.conditions())


def summary(session: Session, flt: StatsFilter, now: datetime | None = None) -> Summary:
    """Counts by status, accepted, closed, the rectification rate and the overdue count."""
    now = now or utcnow()
    by_status = {s.value: 0 for s in Status} | dict(session.execute(summary_query(flt)).all())
    accepted = sum(by_status[s] for s in ACCEPTED_STATUSES)
    closed = by_status[Status.closed]
    return Summary(
        by_status=by_status,
        total=sum(by_status.values()),
        accepted=accepted,
        closed=closed,
        rectification_rate=rate(closed, accepted),
        overdue=session.execute(overdue_count_query(flt, now)).scalar_one(),
        as_of=now,
    )


def indicators(session: Session, flt: StatsFilter, now: datetime | None = None) -> Indicators:
    """结案率, 按期结案率 and 返工率 with their counts, in one pass over the covering index."""
    now = now or utcnow()
    row = session.execute(select(*_indicator_columns(now)).where(*flt.conditions())).one()
    return _indicators_of(row)


def _indicators_of(row) -> Indicators:
    return Indicators(
        accepted=row.accepted,
        closed=row.closed,
        rectification_rate=rate(row.closed, row.accepted),
        due=row.due,
        closed_on_time=row.on_time,
        on_time_rate=rate(row.on_time, row.due),
        rectified=row.rectified,
        reopened=row.reopened,
        rework_rate=rate(row.reopened, row.rectified),
        overdue=row.overdue,
        extension_pending=row.extension_pending,
    )


def unit_stats(session: Session, flt: StatsFilter, now: datetime | None = None) -> list[UnitStats]:
    """Every active unit (and any inactive one that still has issues), with its figures, by code.

    Two index-only aggregates: counts by (unit, status) over ix_issue_unit_status, and overdue counts by
    unit over the overdue entries of ix_issue_unit_kpi; folded per unit here (a few rows per unit)."""
    now = now or utcnow()
    in_units = [Issue.unit_id.is_not(None), *flt.conditions()]
    counts: dict[int, dict[str, int]] = {}
    for unit_id, status, n in session.execute(
        select(Issue.unit_id, Issue.status, func.count())
        .where(*in_units)
        .group_by(Issue.unit_id, Issue.status)
    ).all():
        counts.setdefault(unit_id, {})[status] = n
    overdue: dict[int, int] = dict(
        session.execute(
            select(Issue.unit_id, func.count()).where(overdue_clause(now), *in_units).group_by(Issue.unit_id)
        ).all()
    )
    units = select(Unit.id, Unit.code, Unit.name, Unit.active).order_by(Unit.code)
    if flt.unit_id is not None:
        units = units.where(Unit.id == flt.unit_id)
    rows = []
    for unit_id, code, name, active in session.execute(units).all():
        if not active and unit_id not in counts:
            continue
        by_status = counts.get(unit_id, {})
        assigned = sum(by_status.get(s, 0) for s in ACCEPTED_STATUSES)
        closed = by_status.get(Status.closed, 0)
        rows.append(
            UnitStats(
                unit=code,
                name=name,
                assigned=assigned,
                closed=closed,
                open=sum(by_status.get(s, 0) for s in ASSIGNED_OPEN_STATUSES),
                overdue=overdue.get(unit_id, 0),
                rectification_rate=rate(closed, assigned),
            )
        )
    return rows


def check_unit_access(user: User, unit: Unit) -> None:
    """The office sees every unit; a unit's own users see their unit's figures; nobody else does."""
    if user.role in OFFICE_ROLES:
        return
    if user.role == Role.unit and user.unit_id == unit.id:
        return
    raise PermissionDenied("only the office, or the unit's own users, may see a unit's figures")


def unit_figures(
    session: Session, user: User, code: str, flt: StatsFilter, now: datetime | None = None
) -> UnitFigures:
    """One unit's row, status counts and indicators: its lookup, then one index-only aggregate."""
    unit = session.execute(select(Unit).where(Unit.code == code)).scalar()
    if unit is None:
        raise NotFound(f"no unit {code!r}")
    check_unit_access(user, unit)
    now = now or utcnow()
    # one pass over the unit's entries of ix_issue_unit_kpi: counts and indicator sums by status
    rows = session.execute(
        select(Issue.status, func.count(), *_indicator_columns(now))
        .where(Issue.unit_id == unit.id, *flt.conditions())
        .group_by(Issue.status)
    ).all()
    by_status = {s.value: 0 for s in Status} | {row[0]: row[1] for row in rows}
    sums = {key: sum(getattr(row, key) for row in rows) for key in INDICATOR_SUMS}
    ind = _indicators_of(SimpleNamespace(**sums))
    return UnitFigures(
        unit=unit.code,
        name=unit.name,
        assigned=ind.accepted,
        closed=ind.closed,
        open=sum(by_status[s] for s in ASSIGNED_OPEN_STATUSES),
        overdue=ind.overdue,
        rectification_rate=ind.rectification_rate,
        by_status=by_status,
        indicators=ind,
        as_of=now,
    )


def site_stats(
    session: Session,
    flt: StatsFilter,
    now: datetime | None = None,
    order: str = "code",
    timezone: str = "Asia/Shanghai",
    unit_id: int | None = None,
) -> list[SiteStats]:
    """Every inspection site (zones of layer 'site'; with `unit_id`, that unit's) with the open, overdue and
    closed issues in it and its readiness at its latest inspection; by code, or with order='readiness' the least
    ready first."""
    now = now or utcnow()
    agg = (
        select(
            IssueZone.code.label("code"),
            _count(Issue.status.in_(OPEN_STATUSES)).label("open"),
            _count(overdue_clause(now)).label("overdue"),
            _count(Issue.status == Status.closed).label("closed"),
        )
        .select_from(IssueZone)
        .join(Issue, Issue.id == IssueZone.issue_id)
        .where(IssueZone.layer == "site", *flt.conditions())
        .group_by(IssueZone.code)
        .subquery("per_site")
    )
    rows = session.execute(
        select(
            Zone.code,
            Zone.name,
            Zone.category,
            Unit.code,
            func.coalesce(agg.c.open, 0),
            func.coalesce(agg.c.overdue, 0),
            func.coalesce(agg.c.closed, 0),
        )
        .select_from(Zone)
        .join(Unit, Unit.id == Zone.unit_id)
        .outerjoin(agg, agg.c.code == Zone.code)
        .where(Zone.layer == "site", *([Zone.unit_id == unit_id] if unit_id is not None else []))
        .order_by(Zone.code)
    ).all()
    sites = with_readiness(
        session,
        [
            SiteStats(code=c, name=n, category=k, unit=u, open=o, overdue=d, closed=x)
            for c, n, k, u, o, d, x in rows
        ],
        now,
        timezone,
    )
    if order == "readiness":
        sites.sort(key=least_ready_first)
    return sites


def _encode_cursor(due_at: datetime, issue_id: str) -> str:
    return base64.urlsafe_b64encode(f"{due_at.isoformat()}|{issue_id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        due, issue_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        return in_range(datetime.fromisoformat(due)), issue_id
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as e:
        raise InvalidInput("cursor: not one this server gave out; start again without it") from e


def overdue_query(flt: StatsFilter, now: datetime):
    """Overdue issues, most overdue first, keyed (due_at, id): served by the partial ix_issue_overdue_due."""
    return (
        select(
            Issue.id,
            Issue.ref,
            Issue.status,
            Issue.category,
            Unit.code,
            Unit.name,
            Issue.due_at,
            Issue.created_at,
            Issue.lat,
            Issue.lon,
        )
        .select_from(Issue)
        .outerjoin(Unit, Unit.id == Issue.unit_id)
        # the literal predicate (not bound values) is what lets both databases use the partial index
        .where(overdue_predicate("issue.status"), Issue.due_at < now)
        .where(*flt.conditions())
        .order_by(Issue.due_at, Issue.id)
    )


def overdue_page(
    session: Session,
    flt: StatsFilter,
    limit: int = 50,
    cursor: str | None = None,
    now: datetime | None = None,
) -> OverduePage:
    """One page of the overdue list."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit: between 1 and {MAX_PAGE}")
    now = now or utcnow()
    query = overdue_query(flt, now)
    if cursor:
        due, issue_id = _decode_cursor(cursor)
        query = query.where(or_(Issue.due_at > due, and_(Issue.due_at == due, Issue.id > issue_id)))
    rows = session.execute(query.limit(limit + 1)).all()
    items = [
        OverdueIssue(
            id=r[0],
            ref=r[1],
            status=r[2],
            category=r[3],
            unit=r[4],
            unit_name=r[5],
            due_at=r[6],
            overdue_hours=round((now - r[6]).total_seconds() / 3600, 2),
            created_at=r[7],
            lat=r[8],
            lon=r[9],
        )
        for r in rows[:limit]
    ]
    next_cursor = _encode_cursor(items[-1].due_at, items[-1].id) if len(rows) > limit else None
    return OverduePage(items=items, next_cursor=next_cursor)
