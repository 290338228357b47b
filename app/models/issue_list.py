"""The issue list's options (order, view) and its slim item: what a phone's list shows, without the timeline."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from app.models.issue import ZoneRef
from app.workflow.states import Status


class ListSort(StrEnum):
    new = "new"  # newest first (the default)
    due = "due"  # soonest deadline first, issues without one last
    near = "near"  # nearest to `near=lat,lon` first: one page only


class ListView(StrEnum):
    full = "full"
    slim = "slim"


class IssueSlim(BaseModel):
    """An issue in a list on a phone: no events, the report's photo ids, names to show."""

    id: str
    ref: str
    status: Status
    category: str
    category_name: str | None
    description: str
    lat: float
    lon: float
    zones: list[ZoneRef]
    unit: str | None
    unit_name: str | None
    proposed_unit: str | None
    proposed_unit_name: str | None
    reporter: str
    reporter_name: str
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    overdue: bool
    duplicate_of: str | None
    fixed_on_site: bool
    disputed: bool
    extension_pending: bool
    reopen_count: int
    version: int
    photo_ids: list[
        str
    ]  # the report's photos (before photos of a 立行立改 report): thumbnails at /photos/{id}/thumb
    distance_m: float | None = None  # from `near`, with sort=near


class IssueSlimPage(BaseModel):
    items: list[IssueSlim]
    next_cursor: str | None
