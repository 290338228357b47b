"""An issue as the state machine sees it, and what a user may do with it now."""

from sqlalchemy import select
from sqlmodel import Session

from app.models import Issue, IssueEvent, Unit, User
from app.services.issues.query import zone_unit_ids
from app.workflow.machine import Actor, IssueState, available_actions
from app.workflow.states import Action, Status


def issue_state(session: Session, issue: Issue) -> IssueState:
    """The snapshot the state machine judges."""
    unit = session.get(Unit, issue.unit_id) if issue.unit_id else None
    requested_due = rectifier = None
    if issue.extension_pending:
        requested_due = _last_event(session, issue.id, Action.extend).due_at
    if issue.status == Status.rectified:
        rectifier = _last_event(session, issue.id, Action.rectify).actor_unit_id
    return IssueState(
        id=issue.id,
        ref=issue.ref,
        status=Status(issue.status),
        reporter_id=issue.reporter_id,
        created_at=issue.created_at,
        version=issue.version,
        unit_id=issue.unit_id,
        unit_code=unit.code if unit else None,
        proposed_unit_id=issue.proposed_unit_id,
        zone_unit_ids=zone_unit_ids(session, issue.id),
        disputed=issue.disputed,
        extension_pending=issue.extension_pending,
        requested_due=requested_due,
        dispatched_at=issue.dispatched_at,
        due_at=issue.due_at,
        rectified_at=issue.rectified_at,
        rectifier_unit_id=rectifier,
        reopen_count=issue.reopen_count,
    )


def _last_event(session: Session, issue_id: str, action: Action) -> IssueEvent:
    return session.execute(
        select(IssueEvent)
        .where(IssueEvent.issue_id == issue_id, IssueEvent.action == action)
        .order_by(IssueEvent.seq.desc())
        .limit(1)
    ).scalar_one()


def viewer_actions(session: Session, user: User, issue: Issue) -> list[Action]:
    """What this user may do with the issue now: the buttons its screen shows."""
    return available_actions(issue_state(session, issue), Actor(user.id, user.role, user.unit_id))
