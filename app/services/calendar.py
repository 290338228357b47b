"""The working calendar: holidays and make-up workdays kept by the admin, and the deadlines counted on it."""

from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from app.config import Settings
from app.errors import InvalidInput, NotFound
from app.models import CalendarDay, Category
from app.models.calendar import (
    CalendarDayItem,
    CalendarDayPublic,
    CalendarDaySet,
    DayKind,
    DuePreview,
    WorkingTimePublic,
)
from app.services.categories import get_category
from app.workflow.deadlines import MAX_DAYS_SCANNED, WorkCalendar

MAX_RANGE_DAYS = 3 * 366


def work_calendar(session: Session, settings: Settings, start: datetime | None = None) -> WorkCalendar:
    """The settings' working week with the exceptions from calendar_day (from a day before `start` on)."""
    query = select(CalendarDay)
    if start is not None:
        first = start.date() - timedelta(days=1)
        query = query.where(
            CalendarDay.day >= first, CalendarDay.day <= first + timedelta(days=MAX_DAYS_SCANNED)
        )
    rows = session.exec(query).all()
    return WorkCalendar.from_settings(
        settings,
        holidays=[r.day for r in rows if r.kind == DayKind.holiday],
        workdays=[r.day for r in rows if r.kind == DayKind.workday],
    )


def due_for(session: Session, settings: Settings, category: Category, start: datetime) -> datetime:
    """The deadline of an issue of this category whose clock starts at `start` (its dispatch)."""
    calendar = work_calendar(session, settings, start)
    try:
        return calendar.due_at(start, category.deadline_value, category.deadline_unit)
    except ValueError as e:  # a calendar with no working time left: an admin's mistake, said plainly
        raise InvalidInput(f"no deadline for {category.code}: {e}") from e


def working_time(settings: Settings) -> WorkingTimePublic:
    calendar = WorkCalendar.from_settings(settings)
    return WorkingTimePublic(
        timezone=settings.timezone,
        work_periods=[f"{a:%H:%M}-{b:%H:%M}" for a, b in calendar.periods],
        work_weekdays=sorted(calendar.weekdays),
        day_hours=calendar.day_hours,
    )


def list_days(session: Session, start: date | None, end: date | None) -> list[CalendarDayPublic]:
    if start and end and end < start:
        raise InvalidInput("to: must not be before from")
    if start and end and (end - start).days > MAX_RANGE_DAYS:
        raise InvalidInput(f"from/to: at most {MAX_RANGE_DAYS} days at a time")
    query = select(CalendarDay).order_by(CalendarDay.day)
    if start:
        query = query.where(CalendarDay.day >= start)
    if end:
        query = query.where(CalendarDay.day <= end)
    return [_public(r) for r in session.exec(query).all()]


def set_day(session: Session, day: date, data: CalendarDaySet) -> CalendarDayPublic:
    """Makes a day a holiday or a make-up workday (replacing what it was). Deadlines already set stay."""
    row = _put(session, day, data)
    session.commit()
    return _public(row)


def set_days(session: Session, items: list[CalendarDayItem]) -> list[CalendarDayPublic]:
    """Sets many days in one transaction (a year's holidays at once): all or none."""
    days = [i.day for i in items]
    if len(days) != len(set(days)):
        twice = sorted({d for d in days if days.count(d) > 1})
        raise InvalidInput(f"day: {', '.join(map(str, twice))} given more than once")
    rows = [_put(session, i.day, i) for i in items]
    session.commit()
    return [_public(r) for r in rows]


def delete_day(session: Session, day: date) -> None:
    row = session.get(CalendarDay, day)
    if row is None:
        raise NotFound(f"{day} is neither a holiday nor a make-up workday")
    session.delete(row)
    session.commit()


def preview_due(session: Session, settings: Settings, category_code: str, start: datetime) -> DuePreview:
    category = get_category(session, category_code)
    return DuePreview(
        start=start,
        category=category.code,
        deadline_value=category.deadline_value,
        deadline_unit=category.deadline_unit,
        due_at=due_for(session, settings, category, start),
    )


def _put(session: Session, day: date, data: CalendarDaySet) -> CalendarDay:
    row = session.get(CalendarDay, day) or CalendarDay(day=day, kind=data.kind)
    row.kind, row.name = data.kind.value, data.name
    session.add(row)
    return row


def _public(row: CalendarDay) -> CalendarDayPublic:
    return CalendarDayPublic(day=row.day, kind=DayKind(row.kind), name=row.name)
