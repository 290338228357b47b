"""Checklists (测评体系) per site kind, versioned, and inspections of sites made against them."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import pydantic
from pydantic import BaseModel
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow
from app.models.issue import Coordinate, PhotoIds
from app.models.text import SafeText

Result = Literal["pass", "fail", "na"]
Section = Literal["facilities", "service", "environment", "atmosphere"]


class ChecklistTemplate(SQLModel, table=True):
    """One version of a site kind's checklist; never changed once written (an edit writes a new version)."""

    __tablename__ = "checklist_template"
    __table_args__ = (UniqueConstraint("site_kind", "version", name="uq_checklist_kind_version"),)

    id: int | None = Field(default=None, primary_key=True)
    site_kind: str = Field(max_length=64)
    version: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")


class ChecklistItem(SQLModel, table=True):
    __tablename__ = "checklist_item"

    template_id: int = Field(foreign_key="checklist_template.id", primary_key=True)
    code: str = Field(primary_key=True, max_length=64)
    seq: int
    section: str = Field(max_length=16)
    text: str = Field(max_length=200)
    category: str = Field(foreign_key="category.code", max_length=64)  # of the issue a failure becomes


class Inspection(SQLModel, table=True):
    """An inspection of a site (office, or the site's own unit as a self-check), as the phone sent it."""

    __table_args__ = (
        Index("ix_inspection_site_at", "site_zone_id", "at"),
        Index("ix_inspection_unit_at", "unit_id", "at"),
    )

    id: str = Field(primary_key=True, max_length=36)  # made by the client, so a retry is recognised
    site_zone_id: int = Field(foreign_key="zone.id")
    unit_id: int = Field(foreign_key="unit.id")  # the site's unit when inspected
    template_id: int = Field(foreign_key="checklist_template.id")
    inspector_id: int = Field(foreign_key="user.id", index=True)
    self_check: bool = False
    lat: float
    lon: float
    accuracy_m: float | None = None
    distance_m: float = 0.0  # from the site's outline (0 inside)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    passed: int = 0
    failed: int = 0
    na: int = 0
    content_hash: str = Field(max_length=64)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InspectionItem(SQLModel, table=True):
    """One checklist item's answer; a failed one names the issue it became."""

    __tablename__ = "inspection_item"
    __table_args__ = (Index("ix_inspection_item_result", "result", "inspection_id"),)

    inspection_id: str = Field(foreign_key="inspection.id", primary_key=True, max_length=36)
    code: str = Field(primary_key=True, max_length=64)
    seq: int
    result: str = Field(max_length=8)
    note: str = Field(default="", max_length=2000)
    photo_ids: str = Field(default="", max_length=1000)  # comma list
    issue_id: str | None = Field(default=None, foreign_key="issue.id", max_length=36)


# -- API schemas

Code = Annotated[str, pydantic.Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]


class ChecklistItemIn(BaseModel):
    code: Code
    section: Section
    text: SafeText = pydantic.Field(min_length=1, max_length=200)
    category: SafeText = pydantic.Field(min_length=1, max_length=64)


class ChecklistUpdate(BaseModel):
    """PUT /checklists/{site_kind}: the whole new list (a new version; older inspections keep theirs)."""

    items: list[ChecklistItemIn] = pydantic.Field(min_length=1, max_length=200)


class ChecklistItemPublic(ChecklistItemIn):
    seq: int


class ChecklistPublic(BaseModel):
    site_kind: str
    version: int
    created_at: datetime
    items: list[ChecklistItemPublic]


class InspectionItemIn(BaseModel):
    code: Code
    result: Result
    note: SafeText = pydantic.Field(default="", max_length=2000)
    photo_ids: PhotoIds = []


class InspectionCreate(BaseModel):
    """POST /inspections: one queued unit of work from the phone."""

    id: UUID  # made by the client: the same id again is a retry
    site: SafeText = pydantic.Field(min_length=1, max_length=64)  # the site's zone code
    version: int = pydantic.Field(ge=1)  # the checklist version the form was filled against
    lat: Coordinate = pydantic.Field(ge=-90, le=90)
    lon: Coordinate = pydantic.Field(ge=-180, le=180)
    crs: Literal["wgs84", "gcj02", "bd09"] = "wgs84"
    accuracy_m: Coordinate | None = pydantic.Field(default=None, ge=0, le=100_000)
    note: SafeText = pydantic.Field(default="", max_length=4000)
    items: list[InspectionItemIn] = pydantic.Field(min_length=1, max_length=200)


class InspectionItemPublic(BaseModel):
    code: str
    seq: int
    section: str
    text: str
    category: str
    result: Result
    note: str
    photo_ids: list[str]
    issue_id: str | None
    issue_ref: str | None


class InspectionPublic(BaseModel):
    id: str
    site: str
    site_name: str
    site_kind: str | None
    unit: str
    version: int
    self_check: bool
    inspector: str
    inspector_name: str
    at: datetime
    lat: float
    lon: float
    accuracy_m: float | None
    distance_m: float
    note: str
    passed: int
    failed: int
    na: int
    pass_share: float | None  # passed / (passed + failed); null when every item was not applicable
    items: list[InspectionItemPublic]


class InspectionSummary(BaseModel):
    id: str
    site: str
    site_name: str
    unit: str
    version: int
    self_check: bool
    inspector: str
    at: datetime
    passed: int
    failed: int
    na: int
    pass_share: float | None


class InspectionPage(BaseModel):
    items: list[InspectionSummary]
    next_cursor: str | None


class InspectionForm(BaseModel):
    """What the phone needs to inspect a site: its checklist, with last time's failures first."""

    site: str
    site_name: str
    site_kind: str | None
    unit: str
    checklist: ChecklistPublic
    last_inspection_id: str | None
    last_failed: list[str]  # item codes that failed at the latest inspection


class FailedItem(BaseModel):
    """A failed checklist item (for a unit's score): where, when, what, and the issue it became."""

    inspection_id: str
    at: datetime
    site: str
    unit: str
    code: str
    text: str
    category: str
    self_check: bool
    issue_id: str | None
    issue_ref: str | None
    issue_status: str | None
