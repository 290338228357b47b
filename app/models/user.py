"""Users and their roles."""

from datetime import datetime

import pydantic
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow
from app.models.text import SafeText
from app.workflow.states import FIELD_ROLES, OFFICE_ROLES, Role

__all__ = ["FIELD_ROLES", "OFFICE_ROLES", "Role", "User", "UserCreate", "UserPublic", "UserUpdate"]


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    display_name: str = Field(default="", max_length=100)
    phone: str | None = Field(default=None, max_length=32)
    role: str = Field(max_length=16)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    password_hash: str = Field(max_length=255)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserCreate(BaseModel):
    username: SafeText = pydantic.Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    password: SafeText = pydantic.Field(min_length=8, max_length=128)
    role: Role
    unit: SafeText | None = pydantic.Field(default=None, max_length=64)
    display_name: SafeText = pydantic.Field(default="", max_length=100)
    phone: SafeText | None = pydantic.Field(default=None, max_length=32)


class UserUpdate(BaseModel):
    password: SafeText | None = pydantic.Field(default=None, min_length=8, max_length=128)
    role: Role | None = None
    unit: SafeText | None = pydantic.Field(default=None, max_length=64)
    display_name: SafeText | None = pydantic.Field(default=None, max_length=100)
    phone: SafeText | None = pydantic.Field(default=None, max_length=32)
    active: bool | None = None


class UserPublic(BaseModel):
    id: int
    username: str
    display_name: str
    phone: str | None
    role: Role
    unit: str | None
    unit_name: str | None = None
    active: bool
