"""Staff on post (到岗): duty posts at sites, check-ins from the phone, empty posts found on the spot."""

from datetime import datetime
from typing import Annotated, Literal

import pydantic
from pydantic import AwareDatetime, BaseModel
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow
from app.models.text import SafeText


class DutyPost(SQLModel, table=True):
    """A unit's post at a site: how many of its people, at which hours (none: the working calendar's)."""

    __tablename__ = "duty_post"
    __table_args__ = (UniqueConstraint("zone_id", "unit_id", name="uq_duty_post_zone_unit"),)

    id: int | None = Field(default=None, primary_key=True)
    zone_id: int = Field(foreign_key="zone.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    headcount: int = 1
    hours: str | None = Field(default=None, max_length=200)  # "07:00-09:00,17:00-19:00", every day, local
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DutyCheckIn(SQLModel, table=True):
    __tablename__ = "duty_checkin"
    __table_args__ = (Index("ix_duty_checkin_post_at", "post_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="duty_post.id")
    user_id: int = Field(foreign_key="user.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    lat: float
    lon: float
    accuracy_m: float | None = None
    distance_m: float  # from the site (0 inside)
    photo_id: str = Field(foreign_key="photo.id", max_length=36, unique=True)  # a photo proves one check-in
    flags: str = Field(default="", max_length=200)


class EmptyPostFinding(SQLModel, table=True):
    """The supervision team found a post empty on the spot (it costs the unit points)."""

    __tablename__ = "empty_post_finding"
    __table_args__ = (Index("ix_empty_post_finding_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="duty_post.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    user_id: int = Field(foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    photo_id: str | None = Field(default=None, foreign_key="photo.id", max_length=36)
    distance_m: float | None = None  # how far from the site the finder stood (none: no position was sent)


# -- API schemas

Coordinate = Annotated[float, pydantic.Field(allow_inf_nan=False)]


class DutyPostCreate(BaseModel):
    site: SafeText = pydantic.Field(min_length=1, max_length=80)  # a site's code (or layer:code)
    unit: SafeText = pydantic.Field(min_length=1, max_length=64)
    headcount: int = pydantic.Field(default=1, ge=1, le=1000)
    hours: SafeText | None = pydantic.Field(default=None, max_length=200)


class DutyPostUpdate(BaseModel):
    headcount: int | None = pydantic.Field(default=None, ge=1, le=1000)
    hours: SafeText | None = pydantic.Field(default=None, max_length=200)  # "" back to the working calendar
    active: bool | None = None


class DutyPostPublic(BaseModel):
    id: int
    site: str  # layer:code
    site_name: str
    unit: str
    unit_name: str
    headcount: int
    hours: str | None
    active: bool


class CheckInCreate(BaseModel):
    post_id: int
    lat: Coordinate = pydantic.Field(ge=-90, le=90)
    lon: Coordinate = pydantic.Field(ge=-180, le=180)
    crs: Literal["wgs84", "gcj02", "bd09"] = "wgs84"
    accuracy_m: Coordinate | None = pydantic.Field(default=None, ge=0, le=100_000)
    photo_id: SafeText = pydantic.Field(min_length=1, max_length=36)


class CheckInPublic(BaseModel):
    id: int
    post_id: int
    user: str
    at: datetime
    distance_m: float
    photo_id: str
    flags: list[str]


class FindingCreate(BaseModel):
    post_id: int
    note: SafeText = pydantic.Field(default="", max_length=2000)
    photo_id: SafeText | None = pydantic.Field(default=None, min_length=1, max_length=36)
    # where the finder stands: on the site, or within the check-in tolerance (the PWA always sends it)
    lat: Coordinate | None = pydantic.Field(default=None, ge=-90, le=90)
    lon: Coordinate | None = pydantic.Field(default=None, ge=-180, le=180)
    crs: Literal["wgs84", "gcj02", "bd09"] = "wgs84"
    accuracy_m: Coordinate | None = pydantic.Field(default=None, ge=0, le=100_000)

    @pydantic.model_validator(mode="after")
    def _both_or_neither(self) -> "FindingCreate":
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat, lon: give both, or neither")
        return self


class PostState(BaseModel):
    post: DutyPostPublic
    on_duty: bool  # the post is meant to be staffed at that moment
    checked_in: int  # distinct people whose check-in is still valid then
    state: Literal["staffed", "short", "empty", "off_duty"]


class DutyStatus(BaseModel):
    at: AwareDatetime
    posts: list[PostState]
