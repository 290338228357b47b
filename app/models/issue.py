"""Issues (problems), the zones they fall in and the photos that prove them."""

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow
from app.workflow.states import ENDED_STATUSES, OPEN_STATUSES, Status

__all__ = [
    "ENDED_STATUSES",
    "OPEN_STATUSES",
    "Issue",
    "IssueEvent",
    "IssuePhoto",
    "IssueZone",
    "RefCounter",
    "Status",
]


class Issue(SQLModel, table=True):
    __table_args__ = (
        Index("ix_issue_unit_status", "unit_id", "status"),
        Index("ix_issue_status_due", "status", "due_at"),
        Index("ix_issue_created", "created_at", "id"),
        Index("ix_issue_lat_lon", "lat", "lon"),
    )

    id: str = Field(primary_key=True, max_length=36)
    ref: str = Field(max_length=16, unique=True)
    status: str = Field(default=Status.reported, max_length=16)
    category: str = Field(foreign_key="category.code", index=True, max_length=64)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    lat: float
    lon: float
    accuracy_m: float | None = None
    unit_id: int | None = Field(default=None, foreign_key="unit.id")  # responsible now
    proposed_unit_id: int | None = Field(default=None, foreign_key="unit.id")  # from the zones
    reporter_id: int = Field(foreign_key="user.id", index=True)
    duplicate_of: str | None = Field(default=None, foreign_key="issue.id", max_length=36)
    fixed_on_site: bool = False
    disputed: bool = False
    reopen_count: int = 0
    extension_pending: bool = False
    version: int = 1
    content_hash: str = Field(max_length=64)  # of the create payload, for idempotent retries
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    dispatched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    rectified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class IssueZone(SQLModel, table=True):
    """A zone an issue fell in when it was reported (kept even if the zone changes later)."""

    __tablename__ = "issue_zone"
    __table_args__ = (Index("ix_issue_zone_layer_code", "layer", "code"),)

    issue_id: str = Field(foreign_key="issue.id", primary_key=True, max_length=36)
    layer: str = Field(primary_key=True, max_length=16)
    code: str = Field(max_length=64)
    zone_id: int | None = Field(default=None, foreign_key="zone.id")
    distance_m: float = 0.0


class IssuePhoto(SQLModel, table=True):
    """A photo attached to an issue by an event (report, before/after, rectify, verify)."""

    __tablename__ = "issue_photo"

    issue_id: str = Field(foreign_key="issue.id", primary_key=True, max_length=36)
    photo_id: str = Field(foreign_key="photo.id", primary_key=True, max_length=36, index=True)
    event_id: int | None = Field(default=None, foreign_key="issue_event.id")
    role: str = Field(max_length=16)  # report, before, after, rectify, verify


class IssueEvent(SQLModel, table=True):
    """One transition, appended and never changed."""

    __tablename__ = "issue_event"
    __table_args__ = (Index("ix_issue_event_issue_seq", "issue_id", "seq", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    issue_id: str = Field(foreign_key="issue.id", max_length=36)
    seq: int
    action: str = Field(max_length=16)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    actor_id: int = Field(foreign_key="user.id")
    actor_unit_id: int | None = Field(default=None, foreign_key="unit.id")  # the actor's unit when it acted
    unit_id: int | None = Field(default=None, foreign_key="unit.id")  # the unit assigned by this event
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the deadline it set or asked for
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    flags: str = Field(default="", max_length=200)  # comma list: unlocated, untimed, fixed_on_site, ...


class RefCounter(SQLModel, table=True):
    """The last issue number handed out per year, for refs like 2026-000123."""

    __tablename__ = "ref_counter"

    year: int = Field(primary_key=True)
    last: int = 0
