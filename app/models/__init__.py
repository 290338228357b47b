"""Every table; importing this package registers them all on SQLModel.metadata."""

from app.models.apikey import ApiKey, Open311Request
from app.models.calendar import CalendarDay, DayKind
from app.models.category import Category, CategoryPublic, DeadlineUnit
from app.models.device import DeviceSession, DeviceSessionPublic, RefreshRequest, TokenPair
from app.models.indexes import DASHBOARD_INDEXES
from app.models.inspection import ChecklistItem, ChecklistTemplate, Inspection, InspectionItem
from app.models.issue import (
    ENDED_STATUSES,
    OPEN_STATUSES,
    Issue,
    IssueEvent,
    IssuePhoto,
    IssueZone,
    RefCounter,
    Status,
)
from app.models.patrol import Patrol, PatrolBatch, PatrolPoint, RoadCoverage
from app.models.photo import Photo, PhotoForm, PhotoPublic
from app.models.unit import Unit, UnitCreate, UnitPublic, UnitUpdate
from app.models.user import FIELD_ROLES, OFFICE_ROLES, Role, User, UserCreate, UserPublic, UserUpdate
from app.models.zone import Zone, ZoneRevision

__all__ = [
    "DASHBOARD_INDEXES",
    "ENDED_STATUSES",
    "FIELD_ROLES",
    "OFFICE_ROLES",
    "OPEN_STATUSES",
    "ApiKey",
    "CalendarDay",
    "Category",
    "CategoryPublic",
    "ChecklistItem",
    "ChecklistTemplate",
    "DayKind",
    "DeadlineUnit",
    "DeviceSession",
    "DeviceSessionPublic",
    "Inspection",
    "InspectionItem",
    "Issue",
    "IssueEvent",
    "IssuePhoto",
    "IssueZone",
    "Open311Request",
    "Patrol",
    "PatrolBatch",
    "PatrolPoint",
    "Photo",
    "PhotoForm",
    "PhotoPublic",
    "RefCounter",
    "RefreshRequest",
    "RoadCoverage",
    "Role",
    "Status",
    "TokenPair",
    "Unit",
    "UnitCreate",
    "UnitPublic",
    "UnitUpdate",
    "User",
    "UserCreate",
    "UserPublic",
    "UserUpdate",
    "Zone",
    "ZoneRevision",
]
