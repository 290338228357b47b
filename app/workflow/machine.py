"""The state machine: given an issue, an actor and an action, the events to append or why not.

Pure. The caller (services/issues/actions.py) resolves everything that needs the database into the inputs
of app/workflow/inputs.py; `apply` checks, in this order, whether the actor may see the issue (not_visible), whether its role may
take the action (forbidden), whether the status allows it (conflict) and whether its needs are met (invalid).
"""

from collections.abc import Callable
from typing import Any

from app.workflow.evidence import (
    evidence_flags,
    evidence_problems,
    foreign_photos,
    rectifier_photos,
    unknown_photos,
)
from app.workflow.inputs import (
    Actor,
    Context,
    EventDraft,
    IssueState,
    IssueTarget,
    Refusal,
    RefusalKind,
    RefusalRule,
    Request,
    Transition,
    UnitTarget,
)
from app.workflow.report import Report, report
from app.workflow.rules import ACTIONS, Rule, needs_text
from app.workflow.states import FIELD_ROLES, OFFICE_ROLES, UNIT_ROLES, Action, Status

TransitionFn = Callable[[IssueState, Actor, Request, Context], Transition]

__all__ = [
    "Actor",
    "Context",
    "EventDraft",
    "IssueState",
    "IssueTarget",
    "Refusal",
    "RefusalKind",
    "RefusalRule",
    "Report",
    "Request",
    "Transition",
    "UnitTarget",
    "apply",
    "available_actions",
    "may_see",
    "report",
]


def may_see(issue: IssueState, actor: Actor) -> bool:
    """Office and admin see all; a unit what is assigned or proposed to it; field roles their reports and zones."""
    if actor.role in OFFICE_ROLES:
        return True
    if actor.role in UNIT_ROLES:
        return actor.unit_id is not None and actor.unit_id in (issue.unit_id, issue.proposed_unit_id)
    if actor.role in FIELD_ROLES:
        return issue.reporter_id == actor.id or (
            actor.unit_id is not None and actor.unit_id in issue.zone_unit_ids
        )
    return False


def apply(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition | Refusal:
    """The transition an action makes, or the first check it fails (not_visible, forbidden, conflict, invalid)."""
    if not may_see(issue, actor):
        return Refusal(RefusalKind.not_visible, RefusalRule.not_visible, f"no issue {issue.id}")
    try:
        action = Action(request.action)
        rule = ACTIONS[action]
    except (ValueError, KeyError):
        names = ", ".join(a.value for a in ACTIONS)
        return Refusal(
            RefusalKind.invalid,
            RefusalRule.unknown_action,
            f"action: unknown action {request.action!r}; one of {names}",
        )
    refusal = (
        _role_refusal(rule, issue, actor)
        or _status_refusal(rule, issue, request)
        or _needs_refusal(rule, issue, actor, request, ctx)
    )
    if refusal:
        return refusal
    return TRANSITIONS[action](issue, actor, request, ctx)


def available_actions(issue: IssueState, actor: Actor) -> list[Action]:
    """The actions this actor may take on the issue now: those its role, its unit and the status allow (what
    the action still needs, a note or photos, is asked when it is taken)."""
    if not may_see(issue, actor):
        return []
    return [
        action
        for action, rule in ACTIONS.items()
        if not (
            _role_refusal(rule, issue, actor) or _status_refusal(rule, issue, Request(action=action.value))
        )
    ]


def _role_refusal(rule: Rule, issue: IssueState, actor: Actor) -> Refusal | None:
    if actor.role not in rule.roles:
        who = " or ".join(sorted(rule.roles))
        return Refusal(
            RefusalKind.forbidden, RefusalRule.role, f"{rule.action} is for {who}; you are {actor.role}"
        )
    # before dispatch a unit's own issues are those proposed to it (it then learns why it may not yet act)
    owner = issue.unit_id if issue.unit_id is not None else issue.proposed_unit_id
    if rule.own_unit and (actor.unit_id is None or actor.unit_id != owner):
        whose = f"assigned to {issue.unit_code}, not to your unit" if issue.unit_id else "not your unit's"
        return Refusal(
            RefusalKind.forbidden, RefusalRule.not_own_unit, f"{rule.action}: issue {issue.ref} is {whose}"
        )
    rectifiers = {issue.unit_id, issue.rectifier_unit_id} - {None}
    if rule.not_rectifier and actor.unit_id in rectifiers:
        return Refusal(
            RefusalKind.forbidden,
            RefusalRule.verifier_of_rectifying_unit,
            f"verify: you are of the unit that rectified {issue.ref}; someone of another unit must verify",
        )
    return None


def _status_refusal(rule: Rule, issue: IssueState, request: Request) -> Refusal | None:
    if issue.status not in rule.from_statuses:
        allowed = ", ".join(s.value for s in rule.from_statuses)
        return Refusal(
            RefusalKind.conflict,
            RefusalRule.status,
            f"{rule.action}: issue {issue.ref} is {issue.status}; {rule.action} needs {allowed}",
        )
    if request.version is not None and request.version != issue.version:
        return Refusal(
            RefusalKind.conflict,
            RefusalRule.stale_version,
            f"issue {issue.ref} changed since you loaded it (you saw version {request.version}, it is at "
            f"{issue.version}); reload it and try again",
        )
    action = rule.action
    if action == Action.dispute and issue.disputed:
        return Refusal(
            RefusalKind.conflict,
            RefusalRule.already_disputed,
            f"dispute: {issue.ref} is already disputed; the office decides",
        )
    if action == Action.extend and issue.extension_pending:
        return Refusal(
            RefusalKind.conflict,
            RefusalRule.extension_pending,
            f"extend: {issue.ref} already has an extension request pending",
        )
    if action == Action.extend and issue.due_at is None:
        return Refusal(
            RefusalKind.conflict, RefusalRule.no_deadline, f"extend: {issue.ref} has no deadline to extend"
        )
    if action in (Action.grant_extension, Action.refuse_extension) and not issue.extension_pending:
        return Refusal(
            RefusalKind.conflict,
            RefusalRule.no_extension_pending,
            f"{action}: {issue.ref} has no extension request pending",
        )
    return None


def _needs_refusal(
    rule: Rule, issue: IssueState, actor: Actor, request: Request, ctx: Context
) -> Refusal | None:
    action = rule.action
    for name in ("unit", "duplicate_of", "due_at"):
        if getattr(request, name) is not None and name not in rule.accepts:
            return Refusal(
                RefusalKind.invalid, RefusalRule.unused_field, f"{name}: {action} does not take a {name}"
            )
    if "note" in rule.needs and not request.note.strip():
        return Refusal(
            RefusalKind.invalid, RefusalRule.needs_note, f"note: {action} needs a note ({needs_text(action)})"
        )
    if "photos" in rule.needs and not request.photos:
        return Refusal(
            RefusalKind.invalid,
            RefusalRule.needs_photos,
            f"photo_ids: {action} needs at least one photo taken on site",
        )
    missing = unknown_photos(request.photos)
    if missing:
        return Refusal(RefusalKind.invalid, RefusalRule.unknown_photo, missing)
    if "photos" in rule.needs:
        problems = evidence_problems(request.photos, issue.created_at, ctx.evidence)
        if problems:
            return Refusal(
                RefusalKind.invalid, RefusalRule(problems[0].split(":", 1)[0]), "; ".join(problems)
            )
    else:
        again = [p.id for p in request.photos if p.attached_here]
        if again:
            return Refusal(
                RefusalKind.invalid,
                RefusalRule.photo_attached,
                f"photo_ids: {', '.join(again)} already attached to {issue.ref}",
            )
    return (
        _uploader_refusal(action, issue, actor, request)
        or _unit_refusal(action, issue, request)
        or _target_refusal(action, issue, request, ctx)
    )


def _uploader_refusal(action: Action, issue: IssueState, actor: Actor, request: Request) -> Refusal | None:
    """Only its uploader may attach a photo; a verification's photo must not come from the rectifying unit."""
    if action == Action.verify:  # named first: the rectifier handing the verifier its own photo
        theirs = rectifier_photos(
            request.photos, {u for u in (issue.unit_id, issue.rectifier_unit_id) if u is not None}
        )
        if theirs:
            return Refusal(RefusalKind.invalid, RefusalRule.photo_from_rectifier, theirs)
    foreign = foreign_photos(request.photos, actor.id)
    if foreign:
        return Refusal(RefusalKind.invalid, RefusalRule.photo_not_yours, foreign)
    return None


def _unit_refusal(action: Action, issue: IssueState, request: Request) -> Refusal | None:
    if action not in (Action.accept, Action.reassign):
        return None
    unit = request.unit
    if unit is None:
        if action == Action.reassign:
            return Refusal(
                RefusalKind.invalid,
                RefusalRule.needs_unit,
                "unit: reassign needs the code of the unit to take the issue",
            )
        if issue.proposed_unit_id is None:
            return Refusal(
                RefusalKind.invalid,
                RefusalRule.needs_unit,
                f"unit: no unit was proposed for {issue.ref} from its zones; name one",
            )
        return None
    if unit.id is None:
        return Refusal(RefusalKind.invalid, RefusalRule.unknown_unit, f"unit: no unit {unit.code!r}")
    if not unit.active:
        return Refusal(RefusalKind.invalid, RefusalRule.inactive_unit, f"unit: {unit.code} is deactivated")
    if action == Action.reassign and unit.id == issue.unit_id and not issue.disputed:
        return Refusal(
            RefusalKind.invalid,
            RefusalRule.same_unit,
            f"unit: {issue.ref} is already assigned to {unit.code}",
        )
    return None


def _target_refusal(action: Action, issue: IssueState, request: Request, ctx: Context) -> Refusal | None:
    if action == Action.merge:
        target = request.duplicate_of
        if target is None:
            return Refusal(
                RefusalKind.invalid,
                RefusalRule.needs_duplicate_of,
                "duplicate_of: merge needs the id of the issue to keep",
            )
        if not target.found:
            return Refusal(
                RefusalKind.invalid, RefusalRule.unknown_issue, f"duplicate_of: no issue {target.id}"
            )
        if target.id == issue.id:
            return Refusal(
                RefusalKind.invalid,
                RefusalRule.merge_into_itself,
                "duplicate_of: an issue cannot be a duplicate of itself",
            )
        if target.status == Status.merged:
            return Refusal(
                RefusalKind.invalid,
                RefusalRule.target_merged,
                f"duplicate_of: {target.ref} is itself merged into {target.duplicate_of}; merge into that one",
            )
        if target.status == Status.rejected:
            return Refusal(
                RefusalKind.invalid,
                RefusalRule.target_rejected,
                f"duplicate_of: {target.ref} was rejected; reject this one",
            )
    if action in (Action.extend, Action.grant_extension):
        due = request.due_at or (issue.requested_due if action == Action.grant_extension else None)
        if action == Action.grant_extension and due is None:
            return Refusal(
                RefusalKind.invalid,
                RefusalRule.needs_due_at,
                "due_at: grant_extension needs the new deadline",
            )
        if due is not None and (due <= ctx.now or (issue.due_at and due <= issue.due_at)):
            current = issue.due_at.isoformat() if issue.due_at else "none"
            return Refusal(
                RefusalKind.invalid,
                RefusalRule.due_not_later,
                f"due_at: the new deadline must be later than now and than {current}",
            )
    if action in (Action.accept, Action.reassign) and ctx.new_due is None:
        return Refusal(
            RefusalKind.invalid, RefusalRule.no_deadline_rule, "the issue's category has no deadline rule"
        )
    return None


# -- the transitions, one per action, once every check has passed


def _event(issue: IssueState, request: Request, to: Status, **kw: Any) -> EventDraft:
    return EventDraft(
        action=Action(request.action),
        from_status=issue.status,
        to_status=to,
        note=request.note.strip(),
        photo_ids=tuple(p.id for p in request.photos),
        photo_role=request.action,
        **kw,
    )


def _accept(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition:
    unit_id = request.unit.id if request.unit else issue.proposed_unit_id
    return Transition(
        (_event(issue, request, Status.dispatched, unit_id=unit_id, due_at=ctx.new_due),),
        {"status": Status.dispatched, "unit_id": unit_id, "dispatched_at": ctx.now, "due_at": ctx.new_due},
    )


def _to(status: Status, **changes: object) -> TransitionFn:
    def transition(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition:
        return Transition((_event(issue, request, status),), {"status": status, **changes})

    return transition


def _start(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition:
    return Transition(
        (_event(issue, request, Status.in_progress),), {"status": Status.in_progress, "disputed": False}
    )


def _merge(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition:
    assert request.duplicate_of is not None  # _target_refusal refused a merge without one
    return Transition(
        (_event(issue, request, Status.merged),),
        {"status": Status.merged, "duplicate_of": request.duplicate_of.id},
    )


def _reassign(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition:
    assert request.unit is not None  # _unit_refusal refused a reassign without one
    unit_id = request.unit.id
    # a new unit gets the full time its category allows, from now; the same unit (a dispute turned down) keeps
    # its deadline, so a dispute is never a way to win time
    if unit_id == issue.unit_id:
        due, dispatched_at = issue.due_at, issue.dispatched_at
    else:
        due, dispatched_at = ctx.new_due, ctx.now
    changes = {
        "status": Status.dispatched,
        "unit_id": unit_id,
        "disputed": False,
        "extension_pending": False,
        "dispatched_at": dispatched_at,
        "due_at": due,
    }
    return Transition((_event(issue, request, Status.dispatched, unit_id=unit_id, due_at=due),), changes)


def _rectify(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition:
    flags = evidence_flags(request.photos, ctx.now, ctx.evidence)
    changes = {
        "status": Status.rectified,
        "rectified_at": ctx.now,
        "disputed": False,
        "extension_pending": False,
    }
    return Transition((_event(issue, request, Status.rectified, flags=flags),), changes)


def _verify(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition:
    flags = evidence_flags(request.photos, ctx.now, ctx.evidence, rectified_at=issue.rectified_at)
    return Transition(
        (_event(issue, request, Status.closed, flags=flags),), {"status": Status.closed, "closed_at": ctx.now}
    )


def _reopen(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition:
    changes = {"status": Status.in_progress, "reopen_count": issue.reopen_count + 1, "rectified_at": None}
    due = None
    if issue.due_at is None:  # an on-the-spot fix that failed: its unit's clock starts now
        due = ctx.new_due
        changes.update(due_at=due, dispatched_at=issue.dispatched_at or ctx.now)
    return Transition((_event(issue, request, Status.in_progress, due_at=due),), changes)


def _extend(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition:
    return Transition(
        (_event(issue, request, issue.status, due_at=request.due_at),), {"extension_pending": True}
    )


def _grant(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition:
    due = request.due_at or issue.requested_due
    return Transition(
        (_event(issue, request, issue.status, due_at=due),), {"extension_pending": False, "due_at": due}
    )


def _refuse(issue: IssueState, actor: Actor, request: Request, ctx: Context) -> Transition:
    return Transition((_event(issue, request, issue.status),), {"extension_pending": False})


TRANSITIONS: dict[Action, TransitionFn] = {
    Action.accept: _accept,
    Action.reject: _to(Status.rejected),
    Action.merge: _merge,
    Action.start: _start,
    Action.dispute: _to(Status.dispatched, disputed=True),
    Action.reassign: _reassign,
    Action.rectify: _rectify,
    Action.verify: _verify,
    Action.reopen: _reopen,
    Action.extend: _extend,
    Action.grant_extension: _grant,
    Action.refuse_extension: _refuse,
}
