"""The office dashboard: figures by status, unit, site and day, the red/black list, hot spots."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from app.db import SessionDep
from app.deps import CurrentUser, OfficeUser, SettingsDep, require_role
from app.errors import PermissionDenied
from app.models import OFFICE_ROLES, Role, User
from app.models.stats import (
    Hotspot,
    Indicators,
    OverduePage,
    Ranking,
    SiteStats,
    Summary,
    TrendDay,
    UnitFigures,
    UnitStats,
)
from app.services.stats import figures as stats
from app.services.stats import indicators as stats_indicators
from app.services.stats.filters import StatsFilter, build_filter

router = APIRouter(prefix="/api/v1", tags=["dashboard"])


def stats_filter(
    session: SessionDep,
    settings: SettingsDep,
    start: Annotated[
        str | None, Query(alias="from", description="date or datetime; issues reported from")
    ] = None,
    end: Annotated[
        str | None, Query(alias="to", description="date (included) or datetime (excluded)")
    ] = None,
    category: Annotated[str | None, Query(description="category code, or a comma list")] = None,
    layer: Annotated[str | None, Query(description="only issues in a zone of this layer")] = None,
    zone: Annotated[str | None, Query(description="only issues in this zone (code, or layer:code)")] = None,
    unit: Annotated[str | None, Query(description="only issues of this responsible unit (code)")] = None,
) -> StatsFilter:
    return build_filter(session, settings, start, end, category, layer, zone, unit)


FilterDep = Annotated[StatsFilter, Depends(stats_filter)]


@router.get("/stats/summary")
def summary(_: OfficeUser, session: SessionDep, flt: FilterDep) -> Summary:
    return stats.summary(session, flt)


@router.get("/stats/units")
def units(_: OfficeUser, session: SessionDep, flt: FilterDep) -> list[UnitStats]:
    return stats.unit_stats(session, flt)


@router.get("/stats/units/{code}")
def unit_figures(code: str, user: CurrentUser, session: SessionDep, flt: FilterDep) -> UnitFigures:
    """One unit's figures: for the office, and for that unit's own users."""
    return stats.unit_figures(session, user, code, flt)


SiteReader = Annotated[User, Depends(require_role(Role.office, Role.unit))]


@router.get("/stats/sites")
def sites(
    user: SiteReader,
    session: SessionDep,
    settings: SettingsDep,
    flt: FilterDep,
    order: Annotated[
        Literal["code", "readiness"], Query(description="code, or readiness: the least ready site first")
    ] = "code",
) -> list[SiteStats]:
    """Every site (the office), or the unit's own sites (a unit's handlers), with issues and readiness."""
    own = None if user.role in OFFICE_ROLES else user.unit_id
    if user.role not in OFFICE_ROLES and own is None:
        raise PermissionDenied("a unit handler without a unit has no sites")
    return stats.site_stats(session, flt, order=order, timezone=settings.timezone, unit_id=own)


@router.get("/stats/indicators")
def indicators(_: OfficeUser, session: SessionDep, flt: FilterDep) -> Indicators:
    return stats.indicators(session, flt)


@router.get("/stats/overdue")
def overdue(
    _: OfficeUser,
    session: SessionDep,
    flt: FilterDep,
    limit: Annotated[int, Query(ge=1, le=stats.MAX_PAGE)] = 50,
    cursor: str | None = None,
) -> OverduePage:
    return stats.overdue_page(session, flt, limit, cursor)


@router.get("/stats/trend")
def trend(
    _: OfficeUser,
    session: SessionDep,
    settings: SettingsDep,
    flt: FilterDep,
    days: Annotated[int, Query(ge=1, le=stats_indicators.MAX_TREND_DAYS)] = 30,
) -> list[TrendDay]:
    return stats_indicators.trend(session, settings, flt, days)


@router.get("/stats/ranking")
def ranking(
    _: OfficeUser,
    session: SessionDep,
    flt: FilterDep,
    limit: Annotated[int, Query(ge=1, le=stats.MAX_PAGE)] = 10,
) -> Ranking:
    return stats_indicators.ranking(session, flt, limit)


@router.get("/stats/hotspots")
def hotspots(
    _: OfficeUser,
    session: SessionDep,
    settings: SettingsDep,
    flt: FilterDep,
    limit: Annotated[int, Query(ge=1, le=stats.MAX_PAGE)] = 50,
) -> list[Hotspot]:
    return stats_indicators.hotspots(session, settings, flt, limit)
