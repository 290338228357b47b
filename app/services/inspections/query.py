"""Reading inspections: one, a page of them, a site's form, the latest per site, failed items of a unit."""

import base64
import binascii
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlmodel import Session, col

from app.errors import InvalidInput, NotFound, PermissionDenied
from app.inspection import pass_share
from app.models import Issue, Role, Unit, User, Zone
from app.models.inspection import (
    ChecklistItem,
    ChecklistTemplate,
    FailedItem,
    Inspection,
    InspectionForm,
    InspectionItem,
    InspectionPage,
    InspectionPublic,
    InspectionSummary,
)
from app.services.inspections.checklists import checklist_public, template
from app.services.inspections.create import inspecting_as, site_zone
from app.services.inspections.render import render_inspection

MAX_LIMIT = 200


def visible_clause(user: User) -> ColumnElement[bool]:
    """Office and admin see every inspection; a unit those of its own sites; nobody else any."""
    if user.role in (Role.office, Role.admin):
        return true()
    if user.role == Role.unit and user.unit_id is not None:
        return col(Inspection.unit_id) == user.unit_id
    return false()


def may_read_inspections(user: User) -> None:
    if user.role not in (Role.office, Role.admin, Role.unit):
        raise PermissionDenied(f"inspections are read by the office and units; you are {user.role}")


def get_inspection(session: Session, user: User, inspection_id: str) -> InspectionPublic:
    may_read_inspections(user)
    row = session.execute(
        select(Inspection).where(Inspection.id == inspection_id, visible_clause(user))
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no inspection {inspection_id}")
    return render_inspection(session, row)


def _cursor(at: datetime, inspection_id: str) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{inspection_id}".encode()).decode()


def _uncursor(text: str) -> tuple[datetime, str]:
    try:
        at, inspection_id = base64.urlsafe_b64decode(text.encode()).decode().split("|", 1)
        return datetime.fromisoformat(at), inspection_id
    except (ValueError, binascii.Error, UnicodeDecodeError) as e:
        raise InvalidInput("cursor: not one this server gave out; start again without it") from e


def list_inspections(
    session: Session,
    user: User,
    site: str | None = None,
    unit: str | None = None,
    self_check: bool | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> InspectionPage:
    """Newest first, the inspections this user may see."""
    may_read_inspections(user)
    query = (
        select(Inspection, Zone.code, Zone.name, Unit.code, User.username, ChecklistTemplate.version)
        .join(Zone, Zone.id == Inspection.site_zone_id)
        .join(Unit, Unit.id == Inspection.unit_id)
        .join(User, User.id == Inspection.inspector_id)
        .join(ChecklistTemplate, ChecklistTemplate.id == Inspection.template_id)
        .where(visible_clause(user))
    )
    if site:
        query = query.where(Zone.code == site)
    if unit:
        query = query.where(Unit.code == unit)
    if self_check is not None:
        query = query.where(Inspection.self_check == self_check)
    if start:
        query = query.where(Inspection.at >= start)
    if end:
        query = query.where(Inspection.at < end)
    if cursor:
        at, last = _uncursor(cursor)
        query = query.where(or_(Inspection.at < at, and_(Inspection.at == at, Inspection.id < last)))
    rows = session.execute(query.order_by(Inspection.at.desc(), Inspection.id.desc()).limit(limit + 1)).all()
    items = [
        InspectionSummary(
            id=i.id,
            site=code,
            site_name=name,
            unit=unit_code,
            version=version,
            self_check=i.self_check,
            inspector=username,
            at=i.at,
            passed=i.passed,
            failed=i.failed,
            na=i.na,
            pass_share=pass_share(i.passed, i.failed),
        )
        for i, code, name, unit_code, username, version in rows[:limit]
    ]
    more = len(rows) > limit
    return InspectionPage(items=items, next_cursor=_cursor(items[-1].at, items[-1].id) if more else None)


def latest_inspection(session: Session, site_zone_id: int) -> Inspection | None:
    return session.execute(
        select(Inspection)
        .where(Inspection.site_zone_id == site_zone_id)
        .order_by(Inspection.at.desc(), Inspection.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def inspection_form(session: Session, user: User, code: str) -> InspectionForm:
    """The site's current checklist, the items that failed at its latest inspection first."""
    site = site_zone(session, code)
    inspecting_as(user, site)
    if not site.category:
        raise NotFound(f"site {site.code} has no kind, so no checklist")
    checklist = checklist_public(session, template(session, site.category))
    last = latest_inspection(session, site.id)
    failed: list[str] = []
    if last is not None:
        failed = list(
            session.execute(
                select(InspectionItem.code)
                .where(InspectionItem.inspection_id == last.id, InspectionItem.result == "fail")
                .order_by(InspectionItem.seq)
            ).scalars()
        )
    first = set(failed)
    checklist.items.sort(key=lambda i: (i.code not in first, i.seq))
    return InspectionForm(
        site=site.code,
        site_name=site.name,
        site_kind=site.category,
        unit=session.get(Unit, site.unit_id).code,
        checklist=checklist,
        last_inspection_id=last.id if last else None,
        last_failed=failed,
    )


def latest_by_site(session: Session) -> dict[str, Inspection]:
    """The latest inspection of every inspected site, by the site's code."""
    newest = (
        select(Inspection.site_zone_id, func.max(Inspection.at).label("at"))
        .group_by(Inspection.site_zone_id)
        .subquery()
    )
    rows = session.execute(
        select(Zone.code, Inspection)
        .join(newest, (newest.c.site_zone_id == Inspection.site_zone_id) & (newest.c.at == Inspection.at))
        .join(Zone, Zone.id == Inspection.site_zone_id)
        .order_by(Inspection.id)
    ).all()
    return {code: row for code, row in rows}


# an item failed, its inspection, the site's code and name, the unit's code, the checklist item, its issue's ref
# and status
FailedRow = tuple[InspectionItem, Inspection, str, str, str, ChecklistItem, str | None, str | None]


def failed_rows(
    session: Session,
    unit_id: int | None,
    start: datetime | None = None,
    end: datetime | None = None,
    self_checks: bool = True,
) -> list[FailedRow]:
    """Items failed at inspections of a unit's sites (every unit's when None) in [start, end), oldest first:
    (item, inspection, site code, site name, unit code, its checklist item, its issue's ref and status)."""
    query = (
        select(
            InspectionItem,
            Inspection,
            Zone.code,
            Zone.name,
            Unit.code,
            ChecklistItem,
            Issue.ref,
            Issue.status,
        )
        .join(Inspection, Inspection.id == InspectionItem.inspection_id)
        .join(Zone, Zone.id == Inspection.site_zone_id)
        .join(Unit, Unit.id == Inspection.unit_id)
        .join(
            ChecklistItem,
            (ChecklistItem.template_id == Inspection.template_id)
            & (ChecklistItem.code == InspectionItem.code),
        )
        .outerjoin(Issue, Issue.id == InspectionItem.issue_id)
        .where(InspectionItem.result == "fail")
    )
    if unit_id is not None:
        query = query.where(Inspection.unit_id == unit_id)
    if start is not None:
        query = query.where(Inspection.at >= start)
    if end is not None:
        query = query.where(Inspection.at < end)
    if not self_checks:
        query = query.where(Inspection.self_check.is_(False))
    return [row._tuple() for row in session.execute(query.order_by(Inspection.at, InspectionItem.seq))]


def failed_items(
    session: Session, unit_id: int | None, start: datetime | None = None, end: datetime | None = None
) -> list[FailedItem]:
    """Failed checklist items of a unit's sites (every unit's when None) inspected in [start, end)."""
    return [
        FailedItem(
            inspection_id=i.id,
            at=i.at,
            site=site,
            unit=unit,
            code=item.code,
            text=spec.text,
            category=spec.category,
            self_check=i.self_check,
            issue_id=item.issue_id,
            issue_ref=ref,
            issue_status=status,
        )
        for item, i, site, _name, unit, spec, ref, status in failed_rows(session, unit_id, start, end)
    ]


def failed_items_for(
    session: Session, user: User, unit: str | None, start: datetime | None, end: datetime | None
) -> list[FailedItem]:
    """GET /inspections/failed-items: the office any unit's (or all), a unit its own."""
    if user.role == Role.unit:
        own = session.get(Unit, user.unit_id) if user.unit_id else None
        if own is None or (unit and unit != own.code):
            raise PermissionDenied("a unit reads only its own failed items")
        return failed_items(session, own.id, start, end)
    if user.role not in (Role.office, Role.admin):
        raise PermissionDenied(f"failed items are read by the office and units; you are {user.role}")
    if unit is None:
        return failed_items(session, None, start, end)
    row = session.execute(select(Unit).where(Unit.code == unit)).scalar_one_or_none()
    if row is None:
        raise InvalidInput(f"unit: no unit {unit!r}")
    return failed_items(session, row.id, start, end)
