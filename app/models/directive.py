"""Directives (指令): the office's orders to units, each recipient's acknowledgement (已阅) and its report."""

from datetime import datetime
from typing import Annotated, Literal

import pydantic
from pydantic import AwareDatetime, BaseModel
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow
from app.models.issue import PhotoIds
from app.models.text import SafeText


class Directive(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    due_at: datetime = Field(sa_type=UTCDateTime)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class DirectiveRecipient(SQLModel, table=True):
    """A unit a directive was sent to, and how far it has got with it."""

    __tablename__ = "directive_recipient"
    __table_args__ = (Index("ix_directive_recipient_unit", "unit_id", "directive_id"),)

    directive_id: int = Field(foreign_key="directive.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    read_by: int | None = Field(default=None, foreign_key="user.id")
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_by: int | None = Field(default=None, foreign_key="user.id")
    done_note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class DirectivePhoto(SQLModel, table=True):
    """A photo of a directive: attached by the office (unit_id null) or to a unit's report that it is done."""

    __tablename__ = "directive_photo"

    id: int | None = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directive.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    photo_id: str = Field(foreign_key="photo.id", max_length=36, index=True)


# -- API schemas

RecipientState = Literal["unread", "read", "done"]


class DirectiveCreate(BaseModel):
    title: SafeText = pydantic.Field(min_length=1, max_length=200)
    text: SafeText = pydantic.Field(min_length=1, max_length=4000)
    due_at: AwareDatetime
    photo_ids: PhotoIds = []
    units: list[SafeText] = pydantic.Field(default=[], max_length=1000)  # unit codes
    zones: list[SafeText] = pydantic.Field(
        default=[], max_length=1000
    )  # "layer:code" or a site code: their units


class DirectiveDone(BaseModel):
    note: SafeText = pydantic.Field(min_length=1, max_length=2000)
    photo_ids: Annotated[PhotoIds, pydantic.Field(min_length=1)]


class RecipientPublic(BaseModel):
    unit: str
    unit_name: str
    state: RecipientState
    late: bool  # done after the deadline, or not done and the deadline has passed
    read_at: datetime | None
    read_by: str | None
    done_at: datetime | None
    done_by: str | None
    done_note: str
    photo_ids: list[str]


class DirectivePublic(BaseModel):
    id: int
    title: str
    text: str
    due_at: datetime
    created_by: str
    created_at: datetime
    photo_ids: list[str]
    counts: dict[str, int]  # unread, read, done, late, total
    recipients: list[RecipientPublic]  # every unit for the office; only one's own for a unit
