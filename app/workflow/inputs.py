"""What the state machine reads and answers: snapshots of the issue and the actor, the resolved request,
and the events to append or the refusal. Plain frozen dataclasses."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from app.workflow.evidence import (
    PHOTO_FROM_RECTIFIER,
    PHOTO_NOT_YOURS,
    PHOTO_PREDATES_ISSUE,
    PHOTO_REUSED,
    PHOTO_TOO_FAR,
    EvidenceRules,
    PhotoFacts,
)
from app.workflow.states import Action, Status


@dataclass(frozen=True)
class Actor:
    id: int
    role: str
    unit_id: int | None = None
    unit_code: str | None = None


@dataclass(frozen=True)
class IssueState:
    """A snapshot of one issue, with what the rules need to know about it."""

    id: str
    ref: str
    status: Status
    reporter_id: int
    created_at: datetime
    version: int = 1
    unit_id: int | None = None
    unit_code: str | None = None
    proposed_unit_id: int | None = None
    zone_unit_ids: frozenset[int] = frozenset()  # units owning the zones it lies in
    disputed: bool = False
    extension_pending: bool = False
    requested_due: datetime | None = None  # of the pending extension request, if it named one
    dispatched_at: datetime | None = None
    due_at: datetime | None = None
    rectified_at: datetime | None = None
    rectifier_unit_id: int | None = None  # the unit of whoever rectified it
    reopen_count: int = 0


@dataclass(frozen=True)
class UnitTarget:
    code: str
    id: int | None = None  # None: no such unit
    active: bool = True


@dataclass(frozen=True)
class IssueTarget:
    """The issue a merge names as the one to keep."""

    id: str
    found: bool = True  # False: no such issue, or one the actor may not see
    ref: str = ""
    status: Status | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True)
class Request:
    action: str
    note: str = ""
    photos: tuple[PhotoFacts, ...] = ()
    unit: UnitTarget | None = None
    duplicate_of: IssueTarget | None = None
    due_at: datetime | None = None
    version: int | None = None  # the version the client saw, when it sends one


@dataclass(frozen=True)
class Context:
    now: datetime
    new_due: datetime | None  # the deadline if the issue's clock started now
    evidence: EvidenceRules


@dataclass(frozen=True)
class EventDraft:
    """One event to append; the caller fills in seq, ids and the time."""

    action: Action
    from_status: Status | None
    to_status: Status
    note: str = ""
    photo_ids: tuple[str, ...] = ()
    photo_role: str = ""
    flags: tuple[str, ...] = ()
    unit_id: int | None = None  # the unit this event assigns, if it assigns one
    due_at: datetime | None = None  # the deadline this event sets or asks for


@dataclass(frozen=True)
class Transition:
    events: tuple[EventDraft, ...]
    changes: dict[str, Any] = field(default_factory=dict)  # issue columns to set

    @property
    def to_status(self) -> Status:
        return self.events[-1].to_status


class RefusalKind(StrEnum):
    """What sort of no a refusal is (the service turns each into its domain error)."""

    not_visible = "not_visible"  # the actor may not see the issue: answered as if there were none
    forbidden = "forbidden"  # seen, but not the actor's to do
    conflict = "conflict"  # the issue's state does not allow it now
    invalid = "invalid"  # the request itself is wrong or incomplete


class RefusalRule(StrEnum):
    """The name of each rule that can refuse (in the body of the refusal, for clients that act on it)."""

    not_visible = "not_visible"
    unknown_action = "unknown_action"
    role = "role"
    not_own_unit = "not_own_unit"
    verifier_of_rectifying_unit = "verifier_of_rectifying_unit"
    status = "status"
    stale_version = "stale_version"
    already_disputed = "already_disputed"
    extension_pending = "extension_pending"
    no_deadline = "no_deadline"
    no_extension_pending = "no_extension_pending"
    unused_field = "unused_field"
    needs_note = "needs_note"
    needs_photos = "needs_photos"
    unknown_photo = "unknown_photo"
    photo_attached = "photo_attached"
    needs_unit = "needs_unit"
    unknown_unit = "unknown_unit"
    inactive_unit = "inactive_unit"
    same_unit = "same_unit"
    needs_duplicate_of = "needs_duplicate_of"
    unknown_issue = "unknown_issue"
    merge_into_itself = "merge_into_itself"
    target_merged = "target_merged"
    target_rejected = "target_rejected"
    needs_due_at = "needs_due_at"
    due_not_later = "due_not_later"
    no_deadline_rule = "no_deadline_rule"
    photo_reused = PHOTO_REUSED
    photo_too_far = PHOTO_TOO_FAR
    photo_predates_issue = PHOTO_PREDATES_ISSUE
    photo_not_yours = PHOTO_NOT_YOURS
    photo_from_rectifier = PHOTO_FROM_RECTIFIER


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused: its kind, a rule name (stable, for machines) and a detail for a person."""

    kind: RefusalKind
    rule: RefusalRule
    detail: str
