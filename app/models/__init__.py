"""Every table; importing this package registers them all on SQLModel.metadata."""

from app.models.apikey import ApiKey, Open311Request
from app.models.calendar import CalendarDay, DayKind
from app.models.category import Category, CategoryPublic, DeadlineUnit
from app.models.device import DeviceSession, DeviceSessionPublic, RefreshRequest, TokenPair
from app.models.directive import Directive, DirectivePhoto, DirectiveRecipient
from app.models.duty import DutyCheckIn, DutyPost, EmptyPostFinding
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
from app.models.message import Channel, DeliveryAttempt, OutboxMessage, ScheduledJob
from app.models.patrol import Patrol, PatrolBatch, PatrolPoint, RoadCoverage
from app.models.photo import Photo, PhotoForm, PhotoPublic
from app.models.score import EvidenceRefusal, ScoreCategoryWeight, ScoreRule
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
    "Channel",
    "ChecklistItem",
    "ChecklistTemplate",
    "DayKind",
    "DeadlineUnit",
    "DeliveryAttempt",
    "DeviceSession",
    "DeviceSessionPublic",
    "Directive",
    "DirectivePhoto",
    "DirectiveRecipient",
    "DutyCheckIn",
    "DutyPost",
    "EmptyPostFinding",
    "EvidenceRefusal",
    "Inspection",
    "InspectionItem",
    "Issue",
    "IssueEvent",
    "IssuePhoto",
    "IssueZone",
    "Open311Request",
    "OutboxMessage",
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
    "ScheduledJob",
    "ScoreCategoryWeight",
    "ScoreRule",
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
