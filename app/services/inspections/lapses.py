"""Failed checklist items as lapses of the unit score (三令制): what the office or the supervision team found.

A unit's own self-check does not cost it points: a unit that looks hard at its own sites is doing its job, and
the issues a self-check raises still count against it if they are not fixed in time (the overdue rule)."""

from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from app.models import IssueEvent
from app.services.inspections.query import failed_rows
from app.workflow.scoring import Lapse, Rule


def failed_check_lapses(
    session: Session, start: datetime, end: datetime, _now: datetime, unit_id: int | None
) -> list[Lapse]:
    """A lapse per item failed at an inspection (not a self-check) in [start, end), tied to the issue it became
    and that issue's first event."""
    rows = failed_rows(session, unit_id, start, end, self_checks=False)
    issue_ids = [item.issue_id for item, *_ in rows if item.issue_id]
    first_seq: dict[str, int] = dict(
        session.execute(
            select(IssueEvent.issue_id, func.min(IssueEvent.seq))
            .where(IssueEvent.issue_id.in_(issue_ids))
            .group_by(IssueEvent.issue_id)
        ).all()
    )
    return [
        Lapse(
            Rule.failed_check,
            inspection.unit_id,
            inspection.at,
            f"点位「{site}」检查项不合格：{spec.text}",
            spec.category,
            item.issue_id,
            ref,
            (first_seq[item.issue_id],) if item.issue_id in first_seq else (),
        )
        for item, inspection, _code, site, _unit, spec, ref, _status in rows
    ]
