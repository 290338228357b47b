"""The issues a road chief reported during a patrol. A report made with no signal reaches the server later than it
was made, so an issue counts by when it arrived or, failing that, by when its report photo was taken."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from app.models import Issue, IssuePhoto, Photo
from app.models.patrol import Patrol

LATE_REPORTS = timedelta(days=7)  # how long after a patrol a report made during it may still arrive


def reported_at(session: Session, issues: Iterable[Issue]) -> dict[str, tuple[datetime, ...]]:
    """Per issue, the moments it may have been reported at: its arrival, then its earliest report photo's time
    when that is earlier (made with no signal, sent later)."""
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
    moments: dict[str, tuple[datetime, ...]] = {}
    for i in issues:
        photo = shot.get(i.id)
        moments[i.id] = (
            (i.created_at, photo) if photo is not None and photo < i.created_at else (i.created_at,)
        )
    return moments


def issues_during(
    session: Session, patrols: list[Patrol], start: datetime, end: datetime | None, now: datetime
) -> dict[str, list[Issue]]:
    """Per patrol, the issues its road chief reported while it ran (and within [start, end)), oldest first."""
    if not patrols:
        return {}
    last = max(p.ended_at or now for p in patrols)
    arrived = (
        session.execute(
            select(Issue)
            .where(
                Issue.reporter_id.in_({p.user_id for p in patrols}),
                Issue.created_at >= start,  # a late report arrives after it was made, never before
                Issue.created_at <= last + LATE_REPORTS,
            )
            .order_by(Issue.created_at)
        )
        .scalars()
        .all()
    )
    moments = reported_at(session, arrived)
    found: dict[str, list[tuple[datetime, Issue]]] = defaultdict(list)
    for issue in arrived:
        for at in moments[issue.id]:
            if at < start or (end is not None and at >= end):
                continue
            # the first patrol of its reporter that was running then
            patrol = next(
                (
                    p
                    for p in patrols
                    if p.user_id == issue.reporter_id and p.started_at <= at <= (p.ended_at or now)
                ),
                None,
            )
            if patrol is not None:
                found[patrol.id].append((at, issue))
                break
    return {pid: [i for _, i in sorted(pairs, key=lambda x: x[0])] for pid, pairs in found.items()}
