"""Exceptions to the working week: holidays and make-up workdays (调休)."""

from datetime import date
from enum import StrEnum

from sqlmodel import Field, SQLModel


class DayKind(StrEnum):
    holiday = "holiday"
    workday = "workday"


class CalendarDay(SQLModel, table=True):
    __tablename__ = "calendar_day"

    day: date = Field(primary_key=True)
    kind: str = Field(max_length=8)
    name: str = Field(default="", max_length=100)
