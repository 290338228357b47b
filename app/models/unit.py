"""Responsible units (责任单位)."""

from datetime import datetime

import pydantic
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow
from app.models.text import SafeText

UNIT_KINDS = (
    "office",
    "department",
    "street",
    "community",
    "enterprise",
    "school",
    "hospital",
    "shop",
    "other",
)


class UnitBase(SQLModel):
    code: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=200)
    kind: str = Field(default="department", max_length=32)


class Unit(UnitBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UnitCreate(BaseModel):
    code: SafeText = pydantic.Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: SafeText = pydantic.Field(min_length=1, max_length=200)
    kind: SafeText = pydantic.Field(default="department", max_length=32)
    parent: SafeText | None = pydantic.Field(default=None, max_length=64)


class UnitUpdate(BaseModel):
    name: SafeText | None = pydantic.Field(default=None, min_length=1, max_length=200)
    kind: SafeText | None = pydantic.Field(default=None, max_length=32)
    parent: SafeText | None = pydantic.Field(default=None, max_length=64)
    active: bool | None = None


class UnitPublic(BaseModel):
    code: str
    name: str
    kind: str
    parent: str | None
    active: bool
