"""Issues (problems), the zones they fall in and the photos that prove them."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

import pydantic
from pydantic import BaseModel
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from app.geo.crs import Crs
from app.models.base import Moment, UTCDateTime, utcnow
from app.models.text import SafeText
from app.workflow.states import ENDED_STATUSES, OPEN_STATUSES, Action, Status

__all__ = [
    "ENDED_STATUSES",
    "OPEN_STATUSES",
    "DuplicateCandidate",
    "EventPublic",
    "Issue",
    "IssueAction",
    "IssueCreate",
    "IssueEvent",
    "IssuePage",
    "IssuePhoto",
    "IssuePhotoPublic",
    "IssuePublic",
    "IssueReport",
    "IssueZone",
    "PendingExtension",
    "RefCounter",
    "Status",
    "ZoneRef",
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


# -- API schemas

Coordinate = Annotated[float, pydantic.Field(allow_inf_nan=False)]
PhotoIds = Annotated[
    list[Annotated[SafeText, pydantic.Field(min_length=1, max_length=36)]], pydantic.Field(max_length=20)
]


class IssueCreate(BaseModel):
    """A new issue as a phone (or an Open311 client, without photos) sends it."""

    id: UUID | None = None  # made by the client, so a retry is recognised
    category: SafeText = pydantic.Field(min_length=1, max_length=64)
    description: SafeText = pydantic.Field(default="", max_length=4000)
    lat: Coordinate = pydantic.Field(ge=-90, le=90)
    lon: Coordinate = pydantic.Field(ge=-180, le=180)
    crs: Crs = Crs.wgs84
    accuracy_m: Coordinate | None = pydantic.Field(default=None, ge=0, le=100_000)
    photo_ids: PhotoIds = []
    fixed_on_site: bool = False  # 立行立改: fixed there and then; needs after_photo_ids
    after_photo_ids: PhotoIds = []


class IssueReport(IssueCreate):
    """The body of POST /api/v1/issues: a phone's report comes with at least one photo."""

    photo_ids: PhotoIds = pydantic.Field(min_length=1)


class IssueAction(BaseModel):
    action: SafeText = pydantic.Field(min_length=1, max_length=32)
    note: SafeText = pydantic.Field(default="", max_length=2000)
    photo_ids: PhotoIds = []
    unit: SafeText | None = pydantic.Field(default=None, min_length=1, max_length=64)
    duplicate_of: SafeText | None = pydantic.Field(
        default=None, min_length=1, max_length=36
    )  # an id or a ref
    due_at: Moment | None = None  # extend (asked for) and grant_extension (given)
    version: int | None = None  # the version the client saw; a stale one is refused with 409


class ZoneRef(BaseModel):
    layer: str
    code: str
    name: str | None = None
    distance_m: float = 0.0


class IssuePhotoPublic(BaseModel):
    id: str
    role: str  # report, before, after, rectify, verify, or the action that attached it
    event_seq: int | None
    url: str
    thumb_url: str
    taken_at: datetime | None
    lat: float | None
    lon: float | None


class EventPublic(BaseModel):
    seq: int
    action: str
    from_status: str | None
    to_status: str
    actor: str  # username
    actor_name: str
    actor_unit: str | None
    at: datetime
    note: str
    photo_ids: list[str]
    unit: str | None  # the unit this event assigned
    due_at: datetime | None  # the deadline it set or asked for
    flags: list[str]  # unlocated, untimed, fixed_on_site, ...


class PendingExtension(BaseModel):
    """A unit's open request for more time (action extend), for the office to grant or refuse."""

    due_at: datetime | None  # the deadline asked for, if it named one
    note: str  # why
    actor: str
    actor_name: str
    actor_unit: str | None
    at: datetime


class DuplicateCandidate(BaseModel):
    id: str
    ref: str
    status: str
    category: str
    distance_m: float
    created_at: datetime


class IssuePublic(BaseModel):
    id: str
    ref: str
    status: Status
    category: str
    category_name: str | None
    description: str
    lat: float
    lon: float
    accuracy_m: float | None
    zones: list[ZoneRef]
    unit: str | None  # responsible: proposed from the zones at once, then as dispatched
    unit_name: str | None
    proposed_unit: str | None
    reporter: str
    reporter_name: str
    created_at: datetime
    updated_at: datetime
    dispatched_at: datetime | None
    due_at: datetime | None
    rectified_at: datetime | None
    closed_at: datetime | None
    overdue: bool
    duplicate_of: str | None
    fixed_on_site: bool
    disputed: bool
    extension_pending: bool
    reopen_count: int
    version: int
    photos: list[IssuePhotoPublic]
    events: list[EventPublic]
    possible_duplicates: list[DuplicateCandidate] | None = None  # on create and on a single GET
    pending_extension: PendingExtension | None = None  # while extension_pending
    actions: list[Action] | None = None  # on a single GET: what the viewer may do now


class IssuePage(BaseModel):
    items: list[IssuePublic]
    next_cursor: str | None
