"""The campaign's moving figures: the daily trend, the red/black list of units, and hot spots.

Still SQL aggregates only: days are bucketed by a CASE over the local-midnight boundaries (computed in
Python for XUNCHA_TIMEZONE), so the same statement runs on SQLite and PostgreSQL.
"""

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.types import Float as FloatType
from sqlmodel import Session

from app.config import Settings
from app.errors import InvalidInput
from app.models import Category, Issue, Status, Unit
from app.models.base import utcnow
from app.models.stats import Hotspot, RankedUnit, Ranking, TrendDay, UnitStats
from app.services.stats.figures import MAX_PAGE, unit_stats
from app.services.stats.filters import StatsFilter
from app.workflow.states import ACCEPTED_STATUSES, WORKING_STATUSES

MAX_TREND_DAYS = 366
M_PER_DEG = 111_195.0  # metres per degree of latitude (mean Earth radius)
DEFAULT_HOTSPOT_WINDOW_DAYS = 90


class days_between(GenericFunction):
    """Days from the first datetime to the second: the one date expression the two databases spell apart."""

    type = FloatType()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    a, b = list(element.clauses)
    return f"(julianday({compiler.process(b, **kw)}) - julianday({compiler.process(a, **kw)}))"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw):
    a, b = list(element.clauses)
    return f"(EXTRACT(EPOCH FROM ({compiler.process(b, **kw)} - {compiler.process(a, **kw)})) / 86400.0)"


def day_bounds(days: int, tz: ZoneInfo, now: datetime) -> list[tuple[date, datetime, datetime]]:
    """The last `days` local days up to today: (day, its start, its end or now for today)."""
    today = now.astimezone(tz).date()
    bounds = []
    for k in range(days - 1, -1, -1):
        day = today - timedelta(days=k)
        start = datetime.combine(day, time.min, tz)
        end = min(datetime.combine(day + timedelta(days=1), time.min, tz), now)
        bounds.append((day, start, end))
    return bounds


def _per_day(session: Session, column, bounds, conds) -> list[int]:
    """How many rows have `column` in each day, by one CASE over the day ends (rows outside are skipped)."""
    bucket = case(*[(column < end, i) for i, (_, _, end) in enumerate(bounds)], else_=None)
    counts = dict(
        session.execute(
            select(bucket, func.count())
            .where(column >= bounds[0][1], column < bounds[-1][2], *conds)
            .group_by(bucket)
        ).all()
    )
    return [counts.get(i, 0) for i in range(len(bounds))]


def trend(
    session: Session, settings: Settings, flt: StatsFilter, days: int = 30, now: datetime | None = None
) -> list[TrendDay]:
    """Per local day: issues reported, issues closed, and issues overdue at the end of the day.

    Overdue at a moment t = accepted issues with due_at < t that had not stopped (been rectified or
    closed) by t. Counted as #(due_at < t) - #(max(due_at, stop) < t): one total before the first day,
    then per-day increments, so the cost does not grow with the number of days.
    """
    if not 1 <= days <= MAX_TREND_DAYS:
        raise InvalidInput(f"days: between 1 and {MAX_TREND_DAYS}")
    now = now or utcnow()
    bounds = day_bounds(days, ZoneInfo(settings.timezone), now)
    conds = flt.conditions()
    new = _per_day(session, Issue.created_at, bounds, conds)
    closed = _per_day(session, Issue.closed_at, bounds, [Issue.status == Status.closed, *conds])

    stopped_at = case(
        (Issue.status.in_(WORKING_STATUSES), None),
        else_=func.coalesce(Issue.rectified_at, Issue.closed_at),
    )
    stop = case((stopped_at > Issue.due_at, stopped_at), else_=Issue.due_at)
    accepted = [Issue.status.in_(ACCEPTED_STATUSES), Issue.due_at.is_not(None), *conds]
    first = bounds[0][1]
    due_before, stopped_before = session.execute(
        select(
            func.coalesce(func.sum(case((Issue.due_at < first, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(stopped_at.is_not(None), stop < first), 1), else_=0)), 0),
        ).where(*accepted)
    ).one()
    came_due = _per_day(session, Issue.due_at, bounds, accepted)
    stopped = _per_day(session, stop, bounds, [*accepted, stopped_at.is_not(None)])

    series, due_total, stop_total = [], due_before, stopped_before
    for i, (day, _, _) in enumerate(bounds):
        due_total += came_due[i]
        stop_total += stopped[i]
        series.append(TrendDay(date=day, new=new[i], closed=closed[i], overdue=due_total - stop_total))
    return series


def black_list_order(u: UnitStats) -> tuple:
    """The black list's order: most overdue first, then the worst rectification rate."""
    return (-u.overdue, u.rectification_rate or 0, u.unit)


def ranking(session: Session, flt: StatsFilter, limit: int = 10, now: datetime | None = None) -> Ranking:
    """The red list (best rectification rate, fewest overdue) and the black list (most overdue, worst rate),
    ordered from the per-unit aggregates (one row per unit: no issue row is read here)."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit: between 1 and {MAX_PAGE}")
    units = [u for u in unit_stats(session, flt, now) if u.assigned]
    red = sorted(units, key=lambda u: (-(u.rectification_rate or 0), u.overdue, u.unit))
    black = sorted(units, key=black_list_order)

    def ranked(rows: list[UnitStats]) -> list[RankedUnit]:
        return [
            RankedUnit(rank=i + 1, **u.model_dump(include=set(RankedUnit.model_fields) - {"rank"}))
            for i, u in enumerate(rows[:limit])
        ]

    return Ranking(red_list=ranked(red), black_list=ranked(black))


def hotspots(
    session: Session, settings: Settings, flt: StatsFilter, limit: int = 50, now: datetime | None = None
) -> list[Hotspot]:
    """Closed problems that came back: a later issue of the same category within hotspot_radius_m,
    reported within hotspot_days of the closure. The filters (default: the last 90 days) select the
    recurrences counted."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit: between 1 and {MAX_PAGE}")
    now = now or utcnow()
    if flt.start is None:
        flt = StatsFilter(**{**flt.__dict__, "start": now - timedelta(days=DEFAULT_HOTSPOT_WINDOW_DAYS)})
    frame = _metric_frame(session, settings.hotspot_radius_m)
    if frame is None:
        return []
    k, r, dlat, dlon = frame
    closed, later = aliased(Issue, name="closed_issue"), aliased(Issue, name="recurrence")
    dy = (later.lat - closed.lat) * M_PER_DEG
    dx = (later.lon - closed.lon) * (M_PER_DEG * k)
    recurrences = func.count(later.id)
    last = func.max(later.created_at)
    keys = (
        closed.category,
        Category.name,
        closed.id,
        closed.ref,
        closed.lat,
        closed.lon,
        Unit.code,
        closed.closed_at,
    )
    rows = session.execute(
        select(*keys, recurrences, last)
        .select_from(closed)
        .join(
            later,
            and_(
                later.category == closed.category,
                later.id != closed.id,
                later.created_at > closed.closed_at,
                days_between(closed.closed_at, later.created_at) <= settings.hotspot_days,
                later.lat.between(closed.lat - dlat, closed.lat + dlat),
                later.lon.between(closed.lon - dlon, closed.lon + dlon),
                dy * dy + dx * dx <= r * r,
            ),
        )
        .join(Category, Category.code == closed.category)
        .outerjoin(Unit, Unit.id == closed.unit_id)
        .where(closed.status == Status.closed, *flt.conditions(later))
        .group_by(*keys)
        .order_by(recurrences.desc(), last.desc(), closed.ref)
        .limit(limit)
    ).all()
    return [
        Hotspot(
            category=cat,
            category_name=cat_name,
            issue_id=issue_id,
            ref=ref,
            lat=lat,
            lon=lon,
            unit=unit,
            closed_at=closed_at,
            recurrences=n,
            last_recurrence_at=_aware(last_at),
        )
        for cat, cat_name, issue_id, ref, lat, lon, unit, closed_at, n, last_at in rows
    ]


def _metric_frame(session: Session, r: float) -> tuple[float, float, float, float] | None:
    """(metres per degree of longitude as a share of latitude's, r, and the degree box that holds r at every
    issue's latitude) for the planar distance test; None when there are no issues."""
    lat_min, lat_max = session.execute(select(func.min(Issue.lat), func.max(Issue.lat))).one()
    if lat_min is None:
        return None
    worst = max(abs(lat_min), abs(lat_max))
    k_box = max(math.cos(math.radians(min(worst, 89.0))), 1e-6)  # smallest cos: the widest box
    k = math.cos(math.radians((lat_min + lat_max) / 2))
    return k, r, r / M_PER_DEG, r / (M_PER_DEG * k_box)


def _aware(value):
    """max() of a UTCDateTime column comes back untyped on SQLite: read it as UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))
