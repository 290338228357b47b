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
# the statuses in which the responsible unit's clock runs
WORKING_STATUSES = (Status.dispatched, Status.in_progress)


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


class Flag(StrEnum):
    """Marks an event carries: how its evidence stands, or what kind of step it was."""

    unlocated = "unlocated"  # a photo without any location
    untimed = "untimed"  # a photo without any time
    taken_in_future = "taken_in_future"  # a photo dated after the server's clock (plus the skew)
    taken_before_rectify = "taken_before_rectify"  # a verify photo dated before the rectification
    fixed_on_site = "fixed_on_site"  # 立行立改: reported and rectified in one go
    imported = "imported"  # historical, from the paper ledger: carries no photos


# role names as stored on users (app.models.Role holds the same values)
ADMIN, OFFICE, UNIT, GRID_WORKER, ROAD_CHIEF = "admin", "office", "unit", "grid_worker", "road_chief"
OFFICE_ROLES = frozenset({OFFICE, ADMIN})
UNIT_ROLES = frozenset({UNIT})
FIELD_ROLES = frozenset({GRID_WORKER, ROAD_CHIEF})
