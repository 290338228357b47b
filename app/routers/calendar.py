"""The working calendar: working hours, holidays and make-up workdays (admin), deadline previews."""

from datetime import date

from fastapi import APIRouter, Query, Response

from app.db import SessionDep
from app.deps import AdminUser, CurrentUser, SettingsDep
from app.models.base import Moment
from app.models.calendar import (
    CalendarDayItem,
    CalendarDayPublic,
    CalendarDaySet,
    DuePreview,
    WorkingTimePublic,
)
from app.services import calendar

router = APIRouter(prefix="/api/v1", tags=["calendar"])


@router.get("/calendar")
def working_time(_: CurrentUser, settings: SettingsDep) -> WorkingTimePublic:
    return calendar.working_time(settings)


@router.get("/calendar/days")
def list_days(
    _: CurrentUser,
    session: SessionDep,
    start: date | None = Query(default=None, alias="from"),
    end: date | None = Query(default=None, alias="to"),
) -> list[CalendarDayPublic]:
    return calendar.list_days(session, start, end)


@router.put("/calendar/days")
def set_days(_: AdminUser, session: SessionDep, items: list[CalendarDayItem]) -> list[CalendarDayPublic]:
    return calendar.set_days(session, items)


@router.put("/calendar/days/{day}")
def set_day(_: AdminUser, session: SessionDep, day: date, data: CalendarDaySet) -> CalendarDayPublic:
    return calendar.set_day(session, day, data)


@router.delete("/calendar/days/{day}", status_code=204)
def delete_day(_: AdminUser, session: SessionDep, day: date) -> Response:
    calendar.delete_day(session, day)
    return Response(status_code=204)


@router.get("/calendar/due")
def preview_due(
    _: CurrentUser, session: SessionDep, settings: SettingsDep, category: str, start: Moment
) -> DuePreview:
    return calendar.preview_due(session, settings, category, start)
