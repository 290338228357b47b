"""The dashboard's filters (date range, category, zone layer and code, unit), turned into SQL conditions."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.config import Settings
from app.errors import InvalidInput
from app.geo.layers import LAYERS
from app.models import Category, Issue, IssueZone, Unit
from app.models.base import in_range
from app.services.params import comma_list


@dataclass(frozen=True)
class StatsFilter:
    """What the figures are counted over; every field narrows, None means no narrowing."""

    start: datetime | None = None  # issues created at or after this instant
    end: datetime | None = None  # and before this one
    categories: tuple[str, ...] = ()
    layer: str | None = None
    zone: str | None = None
    unit_id: int | None = None
    unit_code: str | None = None

    def conditions(self, issue=Issue) -> list[ColumnElement[bool]]:
        """SQL conditions for these filters, on Issue or on an alias of it."""
        conds: list[ColumnElement[bool]] = []
        if self.start is not None:
            conds.append(issue.created_at >= self.start)
        if self.end is not None:
            conds.append(issue.created_at < self.end)
        if self.categories:
            conds.append(issue.category.in_(self.categories))
        if self.unit_id is not None:
            conds.append(issue.unit_id == self.unit_id)
        if self.layer or self.zone:
            # an alias: a query that itself reads issue_zone (per-site figures) must not correlate it away
            zone = aliased(IssueZone)
            zone_conds = [zone.issue_id == issue.id]
            if self.layer:
                zone_conds.append(zone.layer == self.layer)
            if self.zone:
                zone_conds.append(zone.code == self.zone)
            conds.append(exists(select(zone.issue_id).where(and_(*zone_conds))))
        return conds


def parse_when(text: str, tz: ZoneInfo, name: str, end: bool = False) -> datetime:
    """An ISO date (a whole local day; as an end, the day is included) or an ISO datetime (naive = local)."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return in_range(datetime.combine(day + timedelta(days=1) if end else day, time.min, tz))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return in_range(moment if moment.tzinfo else moment.replace(tzinfo=tz))
    except (ValueError, OverflowError) as e:
        raise InvalidInput(
            f"{name}: {text!r} is not a date (2026-11-25) or a datetime (2026-11-25T09:30:00+08:00) "
            "between the years 1900 and 2999"
        ) from e


def build_filter(
    session: Session,
    settings: Settings,
    start: str | None = None,
    end: str | None = None,
    category: str | None = None,
    layer: str | None = None,
    zone: str | None = None,
    unit: str | None = None,
) -> StatsFilter:
    """Checks the query parameters and resolves codes; a bad one is a 422 that names it."""
    tz = ZoneInfo(settings.timezone)
    start_at = parse_when(start, tz, "from") if start else None
    end_at = parse_when(end, tz, "to", end=True) if end else None
    if start_at and end_at and end_at <= start_at:
        raise InvalidInput("to: must be after from")
    categories = comma_list(category)
    if categories:
        known = set(session.execute(select(Category.code).where(Category.code.in_(categories))).scalars())
        unknown = sorted(set(categories) - known)
        if unknown:
            raise InvalidInput(f"category: unknown {', '.join(unknown)}; GET /api/v1/categories lists them")
    if zone and ":" in zone and not layer:
        layer, zone = zone.split(":", 1)
    if layer is not None and layer not in LAYERS:
        raise InvalidInput(f"layer: {layer!r} is not one of {', '.join(LAYERS)}")
    unit_id = None
    if unit:
        unit_id = session.execute(select(Unit.id).where(Unit.code == unit)).scalar()
        if unit_id is None:
            raise InvalidInput(f"unit: unknown unit {unit!r}")
    return StatsFilter(
        start=start_at,
        end=end_at,
        categories=categories,
        layer=layer or None,
        zone=zone or None,
        unit_id=unit_id,
        unit_code=unit or None,
    )
