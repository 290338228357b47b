"""Inspections as the API shows them."""

from sqlalchemy import select
from sqlmodel import Session

from app.inspection import pass_share
from app.models import Issue, Unit, User, Zone
from app.models.inspection import (
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionItem,
    InspectionItemPublic,
    InspectionPublic,
)


def render_inspection(session: Session, row: Inspection) -> InspectionPublic:
    site = session.get(Zone, row.site_zone_id)
    unit = session.get(Unit, row.unit_id)
    inspector = session.get(User, row.inspector_id)
    checklist = session.get(ChecklistTemplate, row.template_id)
    items = session.execute(
        select(InspectionItem, ChecklistItem, Issue.ref)
        .join(
            ChecklistItem,
            (ChecklistItem.template_id == row.template_id) & (ChecklistItem.code == InspectionItem.code),
        )
        .outerjoin(Issue, Issue.id == InspectionItem.issue_id)
        .where(InspectionItem.inspection_id == row.id)
        .order_by(InspectionItem.seq)
    ).all()
    return InspectionPublic(
        id=row.id,
        site=site.code,
        site_name=site.name,
        site_kind=site.category,
        unit=unit.code,
        version=checklist.version,
        self_check=row.self_check,
        inspector=inspector.username,
        inspector_name=inspector.display_name,
        at=row.at,
        lat=row.lat,
        lon=row.lon,
        accuracy_m=row.accuracy_m,
        distance_m=row.distance_m,
        note=row.note,
        passed=row.passed,
        failed=row.failed,
        na=row.na,
        pass_share=pass_share(row.passed, row.failed),
        items=[
            InspectionItemPublic(
                code=answer.code,
                seq=answer.seq,
                section=spec.section,
                text=spec.text,
                category=spec.category,
                result=answer.result,
                note=answer.note,
                photo_ids=[p for p in answer.photo_ids.split(",") if p],
                issue_id=answer.issue_id,
                issue_ref=ref,
            )
            for answer, spec, ref in items
        ],
    )
