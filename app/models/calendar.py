"""Exceptions to the working week: holidays and make-up workdays (调休)."""

from datetime import date, datetime
from enum import StrEnum

import pydantic
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from app.models.text import SafeText


class DayKind(StrEnum):
    holiday = "holiday"
    workday = "workday"


class CalendarDay(SQLModel, table=True):
    __tablename__ = "calendar_day"

    day: date = Field(primary_key=True)
    kind: str = Field(max_length=8)
    name: str = Field(default="", max_length=100)


class CalendarDayPublic(BaseModel):
    day: date
    kind: DayKind
    name: str


class CalendarDaySet(BaseModel):
    """A holiday or a make-up workday (调休), as the admin sets it."""

    kind: DayKind
    name: SafeText = pydantic.Field(default="", max_length=100)


class CalendarDayItem(CalendarDaySet):
    day: date


class WorkingTimePublic(BaseModel):
    timezone: str
    work_periods: list[str]
    work_weekdays: list[int]  # 0 = Monday
    day_hours: float


class DuePreview(BaseModel):
    start: datetime
    category: str
    deadline_value: int
    deadline_unit: str
    due_at: datetime
