"""Issues in the slim list shape: a few queries per page, no events."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from app.models import Issue, IssuePhoto
from app.models.issue_list import IssueSlim
from app.services.issues.names import load_names
from app.services.issues.render import zone_refs
from app.workflow.deadlines import is_overdue

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
                id=i.id,
                ref=i.ref,
                status=i.status,
                category=i.category,
                category_name=names.categories.get(i.category),
                description=i.description,
                lat=i.lat,
                lon=i.lon,
                zones=zones[i.id],
                unit=names.unit_code(i.unit_id),
                unit_name=names.unit_name(i.unit_id),
                proposed_unit=names.unit_code(i.proposed_unit_id),
                proposed_unit_name=names.unit_name(i.proposed_unit_id),
                reporter=names.username(i.reporter_id),
                reporter_name=names.display_name(i.reporter_id),
                created_at=i.created_at,
                updated_at=i.updated_at,
                due_at=i.due_at,
                overdue=is_overdue(i.status, i.due_at, now),
                duplicate_of=i.duplicate_of,
                fixed_on_site=i.fixed_on_site,
                disputed=i.disputed,
                extension_pending=i.extension_pending,
                reopen_count=i.reopen_count,
                version=i.version,
                photo_ids=photos[i.id],
                distance_m=round(distances[i.id], 1) if distances and i.id in distances else None,
            )
        )
    return out
