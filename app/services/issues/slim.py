"""Issues in the slim list shape: a few queries per page, no events."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from app.models import Issue, IssuePhoto
from app.models.issue_list import IssueSlim
from app.services.issues.names import load_names
from app.services.issues.render import common_fields, zone_refs

REPORT_PHOTO_ROLES = ("report", "before")  # what the reporter sent (before: a 立行立改 report's)


def render_slim(
    session: Session, issues: Sequence[Issue], now: datetime, distances: Mapping[str, float] | None = None
) -> list[IssueSlim]:
    """Issues as slim list items, in the order given."""
    if not issues:
        return []
    ids = [i.id for i in issues]
    photos: dict[str, list[str]] = defaultdict(list)
    for issue_id, photo_id in session.execute(
        select(IssuePhoto.issue_id, IssuePhoto.photo_id)
        .where(IssuePhoto.issue_id.in_(ids), IssuePhoto.role.in_(REPORT_PHOTO_ROLES))
        .order_by(IssuePhoto.issue_id, IssuePhoto.photo_id)
    ):
        photos[issue_id].append(photo_id)
    zones = zone_refs(session, ids)
    names = load_names(
        session,
        {i.reporter_id for i in issues},
        {i.unit_id for i in issues} | {i.proposed_unit_id for i in issues},
        {i.category for i in issues},
    )
    out = []
    for i in issues:
        out.append(
            IssueSlim(
                **common_fields(i, names, zones[i.id], now),
                proposed_unit_name=names.unit_name(i.proposed_unit_id),
                photo_ids=photos[i.id],
                distance_m=round(distances[i.id], 1) if distances and i.id in distances else None,
            )
        )
    return out
