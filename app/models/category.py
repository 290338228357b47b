"""The problem-category catalogue and its deadlines (处置时限)."""

from enum import StrEnum

from pydantic import BaseModel
from sqlmodel import Field, SQLModel


class DeadlineUnit(StrEnum):
    work_hours = "work_hours"  # 工作时, counted on the working calendar
    work_days = "work_days"  # 工作日
    hours = "hours"  # plain clock hours


class Category(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    group: str = Field(max_length=64)
    deadline_value: int = Field(gt=0)
    deadline_unit: str = Field(default=DeadlineUnit.work_hours, max_length=16)
    sort_order: int = 0
    active: bool = True


class CategoryPublic(BaseModel):
    code: str
    name: str
    group: str
    deadline_hours: float
    deadline_value: int
    deadline_unit: DeadlineUnit
