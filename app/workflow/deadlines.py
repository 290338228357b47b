"""Deadlines (处置时限) counted on a working calendar: working hours, working days or plain hours."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from app.workflow.states import WORKING_STATUSES

MAX_DAYS_SCANNED = 3 * 366  # a deadline further than this means the calendar has no working time


class CalendarSettings(Protocol):
    """The settings a working calendar is made from (app.config.Settings has them)."""

    work_periods: str
    work_weekdays: list[int]
    timezone: str


def parse_periods(text: str) -> list[tuple[time, time]]:
    """'08:30-12:00,13:30-17:30' -> [(08:30, 12:00), (13:30, 17:30)], checked to be ordered and disjoint."""
    periods: list[tuple[time, time]] = []
    for part in text.split(","):
        start, end = (time.fromisoformat(t.strip()) for t in part.split("-"))
        if end <= start or (periods and start < periods[-1][1]):
            raise ValueError(f"working periods must be ordered and disjoint: {text!r}")
        periods.append((start, end))
    if not periods:
        raise ValueError("no working periods")
    return periods


@dataclass(frozen=True)
class WorkCalendar:
    periods: list[tuple[time, time]]
    weekdays: frozenset[int]
    tz: ZoneInfo
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)  # make-up workdays (调休) on weekends

    @classmethod
    def from_settings(
        cls, settings: CalendarSettings, holidays: Iterable[date] = (), workdays: Iterable[date] = ()
    ) -> "WorkCalendar":
        return cls(
            periods=parse_periods(settings.work_periods),
            weekdays=frozenset(settings.work_weekdays),
            tz=ZoneInfo(settings.timezone),
            holidays=frozenset(holidays),
            workdays=frozenset(workdays),
        )

    @property
    def day_hours(self) -> float:
        return sum(_hours(a, b) for a, b in self.periods)

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() in self.weekdays and day not in self.holidays

    def add_work_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` of working time after `start` (an aware datetime)."""
        remaining = timedelta(hours=hours)
        local = start.astimezone(self.tz)
        day = local.date()
        for _ in range(MAX_DAYS_SCANNED):
            if self.is_workday(day):
                for a, b in self.periods:
                    begin = datetime.combine(day, a, self.tz)
                    end = datetime.combine(day, b, self.tz)
                    begin = max(begin, local)
                    if begin >= end:
                        continue
                    if begin + remaining <= end:
                        return (begin + remaining).astimezone(start.tzinfo)
                    remaining -= end - begin
            day += timedelta(days=1)
        raise ValueError("the working calendar has no working time in the next three years")

    def is_working_time(self, moment: datetime) -> bool:
        local = moment.astimezone(self.tz)
        if not self.is_workday(local.date()):
            return False
        return any(a <= local.time() < b for a, b in self.periods)

    def work_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours from `start` to `end` (0 when end is not after start)."""
        if end <= start:
            return 0.0
        total = timedelta()
        a_local, b_local = start.astimezone(self.tz), end.astimezone(self.tz)
        day = a_local.date()
        while day <= b_local.date():
            if self.is_workday(day):
                for a, b in self.periods:
                    begin = max(datetime.combine(day, a, self.tz), a_local)
                    stop = min(datetime.combine(day, b, self.tz), b_local)
                    if stop > begin:
                        total += stop - begin
            day += timedelta(days=1)
        return total.total_seconds() / 3600

    def due_at(self, start: datetime, value: int, unit: str) -> datetime:
        """The deadline of a category's limit, counted from `start` (dispatch)."""
        if unit == "hours":
            return start + timedelta(hours=value)
        if unit == "work_days":
            return self.add_work_hours(start, value * self.day_hours)
        if unit == "work_hours":
            return self.add_work_hours(start, value)
        raise ValueError(f"unknown deadline unit {unit!r}")


def _hours(a: time, b: time) -> float:
    return (datetime.combine(date.min, b) - datetime.combine(date.min, a)).total_seconds() / 3600


def is_overdue(status: str, due_at: datetime | None, now: datetime) -> bool:
    """Past its deadline while the unit's clock runs (dispatched or in progress); rectifying stops the clock."""
    return status in WORKING_STATUSES and due_at is not None and due_at < now
