"""The statuses an issue moves through, the actions that move it, and the roles that take them."""

from enum import StrEnum


class Status(StrEnum):
    reported = "reported"
    dispatched = "dispatched"
    in_progress = "in_progress"
    rectified = "rectified"
    closed = "closed"
    rejected = "rejected"
    merged = "merged"


OPEN_STATUSES = (Status.reported, Status.dispatched, Status.in_progress, Status.rectified)
ENDED_STATUSES = (Status.closed, Status.rejected, Status.merged)
# the statuses in which the responsible unit's clock runs (overdue: one of these, past its due_at)
WORKING_STATUSES = (Status.dispatched, Status.in_progress)
# every issue that reached dispatched (rejected and merged are only reachable from reported)
ACCEPTED_STATUSES = (Status.dispatched, Status.in_progress, Status.rectified, Status.closed)
# accepted and not yet closed: the unit's open work (a rectified one waits for verification)
ASSIGNED_OPEN_STATUSES = (Status.dispatched, Status.in_progress, Status.rectified)


class Action(StrEnum):
    report = "report"  # the creation of an issue (not posted to /actions)
    accept = "accept"
    reject = "reject"
    merge = "merge"
    start = "start"
    dispute = "dispute"
    reassign = "reassign"
    rectify = "rectify"
    verify = "verify"
    reopen = "reopen"
    extend = "extend"
    grant_extension = "grant_extension"
    refuse_extension = "refuse_extension"


# the actions whose note is written for the reporter, so Open311 (public) shows it as status_notes: what was
# done about the problem and its confirmation on site. Every other note (reject, dispute, reopen and extension
# reasons, the office's instructions) is internal.
PUBLIC_NOTE_ACTIONS = (Action.rectify, Action.verify)


class Flag(StrEnum):
    """Marks an event carries: how its evidence stands, or what kind of step it was."""

    unlocated = "unlocated"  # a photo without any location
    untimed = "untimed"  # a photo without any time
    taken_in_future = "taken_in_future"  # a photo dated after the server's clock (plus the skew)
    taken_before_rectify = "taken_before_rectify"  # a verify photo dated before the rectification
    fixed_on_site = "fixed_on_site"  # 立行立改: reported and rectified in one go
    imported = "imported"  # historical, from the paper ledger: carries no photos


class Role(StrEnum):
    """A user's role, as stored on users."""

    admin = "admin"
    office = "office"
    unit = "unit"
    grid_worker = "grid_worker"
    road_chief = "road_chief"


OFFICE_ROLES = frozenset({Role.office, Role.admin})  # dispatch and verify; see every issue
UNIT_ROLES = frozenset({Role.unit})  # handle what is assigned to their unit
FIELD_ROLES = frozenset({Role.grid_worker, Role.road_chief})  # report from the street
UNIT_BOUND_ROLES = frozenset({Role.unit, Role.road_chief})  # a user of these roles must belong to a unit
