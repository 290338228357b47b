"""What the dashboard answers (CONTRACT.md's Dashboard section; fields are added, never renamed)."""

from datetime import date, datetime

from pydantic import BaseModel


class Summary(BaseModel):
    by_status: dict[str, int]
    total: int
    accepted: int  # every issue that reached dispatched
    closed: int
    rectification_rate: float | None  # closed / accepted; null when nothing was accepted
    overdue: int  # dispatched or in progress, past due_at
    as_of: datetime


class UnitStats(BaseModel):
    unit: str
    name: str
    assigned: int  # accepted issues this unit is responsible for
    closed: int
    open: int  # assigned and not closed (a rectified one waits for verification)
    overdue: int
    rectification_rate: float | None


class Indicators(BaseModel):
    """The indicators of city evaluation rules, over the filtered issues."""

    accepted: int
    closed: int
    rectification_rate: float | None  # 结案率 = closed / accepted
    due: int  # issues whose deadline has come (closed, or past due and not postponed)
    closed_on_time: int  # closed, and rectified by the deadline
    on_time_rate: float | None  # 按期结案率 = closed_on_time / due
    rectified: int  # issues rectified at least once
    reopened: int  # issues sent back for rework at least once
    rework_rate: float | None  # 返工率 = reopened / rectified
    overdue: int
    extension_pending: int


class UnitFigures(UnitStats):
    """One unit's figures: its row of /stats/units, its status counts and its indicators."""

    by_status: dict[str, int]
    indicators: Indicators
    as_of: datetime


class SiteStats(BaseModel):
    code: str
    name: str
    category: str | None  # the site's kind
    unit: str  # the site's responsible unit
    open: int
    overdue: int
    closed: int
    # readiness (达标率), from the site's latest inspection; null when it was never inspected
    pass_share: float | None = None  # items passed / items that applied
    passed: int | None = None
    failed: int | None = None
    last_inspection_id: str | None = None
    last_inspected_at: datetime | None = None
    days_since_inspected: int | None = None  # calendar days (local time) since then
    last_self_check: bool | None = None  # the latest inspection was the site's own unit's self-check


class OverdueIssue(BaseModel):
    id: str
    ref: str
    status: str
    category: str
    unit: str | None
    unit_name: str | None
    due_at: datetime
    overdue_hours: float
    created_at: datetime
    lat: float
    lon: float


class OverduePage(BaseModel):
    items: list[OverdueIssue]
    next_cursor: str | None


class TrendDay(BaseModel):
    date: date
    new: int  # reported that day
    closed: int  # closed that day
    overdue: int  # overdue at the end of that day (today: now)


class RankedUnit(BaseModel):
    rank: int
    unit: str
    name: str
    assigned: int
    closed: int
    overdue: int
    rectification_rate: float | None


class Ranking(BaseModel):
    red_list: list[RankedUnit]  # best first: highest rectification rate, then fewest overdue
    black_list: list[RankedUnit]  # worst first: most overdue, then lowest rectification rate


class Hotspot(BaseModel):
    """A closed problem that came back: issues of its category reported near it soon after it closed."""

    category: str
    category_name: str
    issue_id: str
    ref: str
    lat: float
    lon: float
    unit: str | None
    closed_at: datetime
    recurrences: int
    last_recurrence_at: datetime
