"""The issues a road chief reported during a patrol. A report made with no signal reaches the server later than it
was made, so an issue counts from when its report photo was taken, where that is earlier than its arrival."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from app.models import Issue, IssuePhoto, Photo
from app.models.patrol import Patrol


def reported_at(session: Session, issues: Iterable[Issue]) -> dict[str, datetime]:
    """Per issue: its earliest report photo's time when that is before the issue arrived, else its arrival."""
    issues = list(issues)
    taken = func.min(func.coalesce(Photo.exif_taken_at, Photo.form_taken_at))
    shot: dict[str, datetime | None] = dict(
        session.execute(
            select(IssuePhoto.issue_id, taken)
            .join(Photo, Photo.id == IssuePhoto.photo_id)
            .where(IssuePhoto.issue_id.in_([i.id for i in issues]), IssuePhoto.role == "report")
            .group_by(IssuePhoto.issue_id)
        ).all()
    )
    return {i.id: min(i.created_at, shot.get(i.id) or i.created_at) for i in issues}


def issues_during(
    session: Session, patrols: list[Patrol], start: datetime, end: datetime | None, now: datetime
) -> dict[str, list[Issue]]:
    """Per patrol, the issues its road chief reported while it ran (and within [start, end)), oldest first."""
    if not patrols:
        return {}
    # arrived since `start` (a late report arrives after it was made, never before)
    arrived = (
        session.execute(
            select(Issue)
            .where(Issue.reporter_id.in_({p.user_id for p in patrols}), Issue.created_at >= start)
            .order_by(Issue.created_at)
        )
        .scalars()
        .all()
    )
    moments = reported_at(session, arrived)
    found: dict[str, list[Issue]] = defaultdict(list)
    for issue in sorted(arrived, key=lambda i: moments[i.id]):
        at = moments[issue.id]
        if at < start or (end is not None and at >= end):
            continue
        for p in patrols:  # the first patrol of its reporter that was running then
            if p.user_id == issue.reporter_id and p.started_at <= at <= (p.ended_at or now):
                found[p.id].append(issue)
                break
    return found
