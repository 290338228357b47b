"""The action table of CONTRACT.md (plus the extension actions), as data."""

from collections.abc import Iterable
from dataclasses import dataclass

from app.workflow.states import OFFICE_ROLES, UNIT_ROLES, WORKING_STATUSES, Action, Role, Status

_WORKING = frozenset(WORKING_STATUSES)


@dataclass(frozen=True)
class Rule:
    action: Action
    roles: frozenset[Role]  # who may take it
    from_statuses: frozenset[Status]
    to_status: Status | None  # None: the status stays as it is
    needs: frozenset[str] = frozenset()  # note, photos, unit, duplicate_of, due_at
    accepts: frozenset[str] = frozenset()  # optional fields beside note and photo_ids
    own_unit: bool = False  # only the handler of the unit the issue is assigned to
    not_rectifier: bool = False  # never someone of the unit that rectified it
    starts_clock: bool = False  # the unit's deadline may be set from now (ctx.new_due)


def _rule(
    action: Action,
    roles: frozenset[Role],
    from_: Iterable[Status],
    to: Status | None,
    needs: Iterable[str] = (),
    accepts: Iterable[str] = (),
    **kw: bool,
) -> Rule:
    needed = frozenset(needs)
    return Rule(action, roles, frozenset(from_), to, needed, frozenset(accepts) | needed, **kw)


ACTIONS: dict[Action, Rule] = {
    r.action: r
    for r in [
        _rule(
            Action.accept,
            OFFICE_ROLES,
            {Status.reported},
            Status.dispatched,
            accepts={"unit"},
            starts_clock=True,
        ),
        _rule(Action.reject, OFFICE_ROLES, {Status.reported}, Status.rejected, needs={"note"}),
        _rule(Action.merge, OFFICE_ROLES, {Status.reported}, Status.merged, needs={"duplicate_of"}),
        _rule(Action.start, UNIT_ROLES, {Status.dispatched}, Status.in_progress, own_unit=True),
        _rule(Action.dispute, UNIT_ROLES, _WORKING, Status.dispatched, needs={"note"}, own_unit=True),
        _rule(Action.reassign, OFFICE_ROLES, _WORKING, Status.dispatched, needs={"unit"}, starts_clock=True),
        _rule(Action.rectify, UNIT_ROLES, _WORKING, Status.rectified, needs={"photos"}, own_unit=True),
        _rule(
            Action.verify,
            OFFICE_ROLES,
            {Status.rectified},
            Status.closed,
            needs={"photos"},
            not_rectifier=True,
        ),
        _rule(
            Action.reopen,
            OFFICE_ROLES,
            {Status.rectified},
            Status.in_progress,
            needs={"note"},
            starts_clock=True,
        ),
        _rule(Action.extend, UNIT_ROLES, _WORKING, None, needs={"note"}, accepts={"due_at"}, own_unit=True),
        _rule(Action.grant_extension, OFFICE_ROLES, _WORKING, None, accepts={"due_at"}),
        _rule(Action.refuse_extension, OFFICE_ROLES, _WORKING, None, needs={"note"}),
    ]
}

# the actions whose photos are evidence (checked for place and time, flagged), and those that may start the clock
EVIDENCE_ACTIONS = frozenset(a for a, r in ACTIONS.items() if "photos" in r.needs)
CLOCK_ACTIONS = frozenset(a for a, r in ACTIONS.items() if r.starts_clock)

_WHY = {
    Action.reject: "why the report is not a problem to handle",
    Action.dispute: "why the issue is not your unit's",
    Action.reopen: "what is still wrong",
    Action.extend: "why more time is needed",
    Action.refuse_extension: "why no more time is given",
}


def needs_text(action: Action) -> str:
    return _WHY.get(action, "say why")
