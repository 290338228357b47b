"""Road-chief patrols (路长制): the patrol, its track posted in batches, and the daily coverage of road segments."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

import pydantic
from pydantic import AwareDatetime, BaseModel
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow
from app.models.issue import Coordinate


class Patrol(SQLModel, table=True):
    __table_args__ = (Index("ix_patrol_unit_started", "unit_id", "started_at"),)

    id: str = Field(primary_key=True, max_length=36)  # made by the phone
    user_id: int = Field(foreign_key="user.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    started_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_point_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    point_count: int = 0
    distance_m: float = 0.0  # along its trusted points
    flags: str = Field(
        default="{}", sa_column=Column(Text, nullable=False, server_default="{}")
    )  # JSON counts
    suspect: bool = False  # some point or the whole track cannot be real
    content_hash: str = Field(max_length=64)


class PatrolBatch(SQLModel, table=True):
    """One batch of track points as the phone queued it; its id makes a retry harmless."""

    __tablename__ = "patrol_batch"

    id: str = Field(primary_key=True, max_length=36)
    patrol_id: str = Field(foreign_key="patrol.id", index=True, max_length=36)
    content_hash: str = Field(max_length=64)
    first_seq: int
    count: int
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PatrolPoint(SQLModel, table=True):
    __tablename__ = "patrol_point"
    __table_args__ = (Index("ix_patrol_point_t", "t"),)

    patrol_id: str = Field(foreign_key="patrol.id", primary_key=True, max_length=36)
    seq: int = Field(primary_key=True)  # the order it was sent in
    batch_id: str = Field(foreign_key="patrol_batch.id", max_length=36)
    t: datetime = Field(sa_type=UTCDateTime)  # when the phone says it was there
    lon: float
    lat: float
    accuracy_m: float | None = None
    received_at: datetime = Field(sa_type=UTCDateTime)


class RoadCoverage(SQLModel, table=True):
    """How much of a road segment its unit's patrols covered on a (local) day; kept current as tracks arrive."""

    __tablename__ = "road_coverage"
    __table_args__ = (Index("ix_road_coverage_unit_day", "unit_id", "day"),)

    zone_id: int = Field(foreign_key="zone.id", primary_key=True)
    day: date = Field(primary_key=True)
    unit_id: int = Field(foreign_key="unit.id")
    length_m: float
    covered_m: float
    share: float
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# -- API schemas


class PatrolStart(BaseModel):
    id: UUID  # made by the phone: the same id again is a retry
    started_at: AwareDatetime | None = None  # default: when the server hears of it


class TrackPointIn(BaseModel):
    t: AwareDatetime
    lat: Coordinate = pydantic.Field(ge=-90, le=90)
    lon: Coordinate = pydantic.Field(ge=-180, le=180)
    accuracy_m: Coordinate | None = pydantic.Field(default=None, ge=0, le=100_000)


class TrackBatch(BaseModel):
    batch_id: UUID  # made by the phone: the same batch again is a retry
    crs: Literal["wgs84", "gcj02", "bd09"] = "wgs84"
    points: list[TrackPointIn] = pydantic.Field(min_length=1, max_length=5000)


class PatrolEnd(BaseModel):
    ended_at: AwareDatetime | None = None


class SegmentCoverage(BaseModel):
    code: str
    name: str
    length_m: float
    covered_m: float
    share: float
    patrolled: bool  # share reached XUNCHA_PATROL_COVERED_SHARE


class PatrolIssue(BaseModel):
    id: str
    ref: str
    category: str
    status: str
    fixed_on_site: bool
    created_at: datetime


class PatrolPublic(BaseModel):
    id: str
    user: str
    user_name: str
    unit: str
    status: Literal["active", "ended"]
    started_at: datetime
    ended_at: datetime | None
    points: int
    distance_m: float
    flags: dict[
        str, int
    ]  # future, out_of_order, imprecise, jump, outside_accuracy, impossible_speed, stationary
    suspect: bool
    segments: list[SegmentCoverage]  # the unit's road segments, covered by this patrol
    issues: list[PatrolIssue]  # reported by the road chief during the patrol


class BatchAccepted(BaseModel):
    batch_id: str
    accepted: int
    patrol: PatrolPublic


class PatrolSummary(BaseModel):
    id: str
    user: str
    unit: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    points: int
    distance_m: float
    suspect: bool


class UnitPatrolDay(BaseModel):
    """A unit's patrols on one local day."""

    unit: str
    name: str
    date: date
    due: bool  # segments were due that day (a working day, or every day with XUNCHA_PATROL_EVERY_DAY)
    segments: int
    segments_due: int
    segments_patrolled: int
    coverage: float | None  # mean share of the unit's segments covered; null when it has none
    distance_m: float
    patrols: int
    suspect_patrols: int
    issues_found: int
    fixed_on_site: int
    by_segment: list[SegmentCoverage]


class UnpatrolledSegment(BaseModel):
    code: str
    name: str
    unit: str
    unit_name: str
    last_patrolled: date | None
    days: int | None  # due days since then (null: never patrolled)
