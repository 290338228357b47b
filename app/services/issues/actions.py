"""Taking an action on an issue: resolve the request, let the state machine decide, write it with a version
check so that two concurrent actions never both succeed."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.config import Settings
from app.errors import Conflict, NotFound
from app.models import Category, Issue, Unit, User
from app.models.base import utcnow
from app.models.issue import IssueAction, IssuePublic
from app.models.score import EvidenceRefusal
from app.services.calendar import due_for
from app.services.issues.evidence import evidence_rules, load_photos, photo_facts
from app.services.issues.query import find_issue, visible_issue
from app.services.issues.refusals import refusal_error
from app.services.issues.render import render_issue
from app.services.issues.state import issue_state
from app.services.issues.store import append_events
from app.workflow.evidence import PHOTO_REUSED, PHOTO_TOO_FAR
from app.workflow.inputs import RefusalKind
from app.workflow.machine import (
    Actor,
    Context,
    IssueTarget,
    Refusal,
    Request,
    UnitTarget,
    apply,
    may_see,
)
from app.workflow.rules import CLOCK_ACTIONS, EVIDENCE_ACTIONS
from app.workflow.states import Status

FAKED_EVIDENCE = (PHOTO_REUSED, PHOTO_TOO_FAR)  # refusals kept for the unit score (弄虚作假)


def _resolve(session: Session, settings: Settings, user: User, issue: Issue, data: IssueAction) -> Request:
    """The request with its photo ids, unit code and duplicate_of turned into facts."""
    evidence = data.action in EVIDENCE_ACTIONS
    photos = load_photos(session, data.photo_ids)
    facts = photo_facts(session, settings, photos, issue.lon, issue.lat, issue.id, check_reuse=evidence)
    unit = None
    if data.unit is not None:
        row = session.execute(select(Unit).where(Unit.code == data.unit)).scalar()
        unit = UnitTarget(data.unit, row.id if row else None, row.active if row else True)
    target = None
    if data.duplicate_of is not None:
        try:
            kept = visible_issue(session, user, data.duplicate_of)
        except NotFound:
            target = IssueTarget(data.duplicate_of, found=False)
        else:
            into = session.get(Issue, kept.duplicate_of) if kept.duplicate_of else None
            target = IssueTarget(
                kept.id, ref=kept.ref, status=Status(kept.status), duplicate_of=into.ref if into else None
            )
    return Request(
        action=data.action,
        note=data.note,
        photos=facts,
        unit=unit,
        duplicate_of=target,
        due_at=data.due_at,
        version=data.version,
    )


def act(
    session: Session, settings: Settings, user: User, key: str, data: IssueAction, now: datetime | None = None
) -> IssuePublic:
    """Take one action on the issue with this id (or ref); commits, and answers the issue as it now is.

    Raises NotFound (404: no such issue or not visible to the user), PermissionDenied (403: the role or the
    unit may not), Conflict (409: the status does not allow it, or another action won a race), InvalidInput
    (422: a need is not met, or a photo breaks an anti-fraud rule; the detail names the rule).
    """
    now = now or utcnow()
    issue = find_issue(session, key)
    if issue is None:
        raise NotFound(f"no issue {key}")
    state = issue_state(session, issue)
    actor = Actor(user.id, user.role, user.unit_id)
    if not may_see(state, actor):
        raise NotFound(f"no issue {key}")
    request = _resolve(session, settings, user, issue, data)
    new_due = None
    if data.action in CLOCK_ACTIONS:
        new_due = due_for(session, settings, session.get(Category, issue.category), now)
    outcome = apply(state, actor, request, Context(now, new_due, evidence_rules(settings)))
    if isinstance(outcome, Refusal):
        _keep_faked_evidence(session, issue, user, data, outcome, now)
        raise refusal_error(outcome)
    _write(session, settings, issue, outcome.events, outcome.changes, user, now)
    session.refresh(issue)
    return render_issue(session, issue, now)


def _keep_faked_evidence(
    session: Session, issue: Issue, user: User, data: IssueAction, refusal: Refusal, now: datetime
) -> None:
    """A refusal for faked-looking evidence is kept (it costs the unit points); nothing else is written."""
    rules = [r for r in FAKED_EVIDENCE if refusal.kind == RefusalKind.invalid and f"{r}:" in refusal.detail]
    if not rules:
        return
    session.rollback()
    session.add(
        EvidenceRefusal(
            issue_id=issue.id,
            user_id=user.id,
            unit_id=user.unit_id,
            action=data.action,
            rules=",".join(rules),
            photo_ids=",".join(data.photo_ids),
            detail=refusal.detail,
            at=now,
        )
    )
    session.commit()


def _write(
    session: Session, settings: Settings, issue: Issue, events, changes: dict, user: User, now: datetime
) -> None:
    """Moves the issue only if nobody moved it since it was read (its version), then appends the events."""
    lost = Conflict(f"issue {issue.ref} was changed by someone else a moment ago; reload it and try again")
    seen = issue.version
    moved = session.execute(
        update(Issue)
        .where(Issue.id == issue.id, Issue.version == seen)
        .values(**changes, version=seen + len(events), updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        session.rollback()
        raise lost
    session.expire(issue)
    try:
        append_events(
            session, issue, events, user.id, user.unit_id, now, first_seq=seen + 1, settings=settings
        )
        session.commit()
    except IntegrityError as e:
        session.rollback()
        raise lost from e
