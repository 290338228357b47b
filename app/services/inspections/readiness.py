"""Site readiness (达标率): each site's latest inspection beside its issues, and the least-ready-first order."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.inspection import pass_share
from app.models.stats import SiteStats
from app.services.inspections.query import latest_by_site


def with_readiness(session: Session, sites: list[SiteStats], now: datetime, timezone: str) -> list[SiteStats]:
    """Fills in the readiness fields of each site from its latest inspection."""
    latest = latest_by_site(session)
    tz = ZoneInfo(timezone)
    today = now.astimezone(tz).date()
    for site in sites:
        last = latest.get(site.code)
        if last is None:
            continue
        site.pass_share = pass_share(last.passed, last.failed)
        site.passed, site.failed = last.passed, last.failed
        site.last_inspection_id = last.id
        site.last_inspected_at = last.at
        site.days_since_inspected = (today - last.at.astimezone(tz).date()).days
        site.last_self_check = last.self_check
    return sites


def least_ready_first(site: SiteStats) -> tuple:
    """Never inspected first; then the lowest pass share, most overdue, most open, longest uninspected."""
    inspected = site.last_inspected_at is not None
    share = site.pass_share if site.pass_share is not None else 1.0
    return (inspected, share, -site.overdue, -site.open, -(site.days_since_inspected or 0), site.code)
