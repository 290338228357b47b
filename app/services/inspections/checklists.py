"""Checklist templates: the latest or a given version of a site kind's list, admin edits as new versions."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.errors import Conflict, InvalidInput, NotFound
from app.inspection import DEFAULT_CHECKLISTS, ItemSpec
from app.models import User, Zone
from app.models.inspection import (
    ChecklistItem,
    ChecklistItemPublic,
    ChecklistPublic,
    ChecklistTemplate,
    ChecklistUpdate,
)
from app.services.categories import get_category


def site_kinds(session: Session) -> list[str]:
    """The kinds of the sites there are, and those with a checklist."""
    zoned = session.execute(
        select(Zone.category).where(Zone.layer == "site", Zone.category.is_not(None)).distinct()
    ).scalars()
    listed = session.execute(select(ChecklistTemplate.site_kind).distinct()).scalars()
    return sorted(set(zoned) | set(listed))


def template(session: Session, site_kind: str, version: int | None = None) -> ChecklistTemplate:
    """A kind's checklist at this version, or its latest; NotFound when there is none."""
    query = select(ChecklistTemplate).where(ChecklistTemplate.site_kind == site_kind)
    if version is not None:
        query = query.where(ChecklistTemplate.version == version)
    row = session.execute(query.order_by(ChecklistTemplate.version.desc()).limit(1)).scalar_one_or_none()
    if row is None:
        which = f"version {version} of " if version is not None else ""
        raise NotFound(f"no checklist {which}for site kind {site_kind!r}")
    return row


def item_specs(session: Session, template_id: int) -> list[ItemSpec]:
    rows = session.execute(
        select(ChecklistItem).where(ChecklistItem.template_id == template_id).order_by(ChecklistItem.seq)
    ).scalars()
    return [ItemSpec(r.code, r.seq, r.section, r.text, r.category) for r in rows]


def checklist_public(session: Session, row: ChecklistTemplate) -> ChecklistPublic:
    return ChecklistPublic(
        site_kind=row.site_kind,
        version=row.version,
        created_at=row.created_at,
        items=[
            ChecklistItemPublic(code=i.code, seq=i.seq, section=i.section, text=i.text, category=i.category)
            for i in item_specs(session, row.id)
        ],
    )


def list_checklists(session: Session) -> list[ChecklistPublic]:
    """The latest version of every kind's checklist."""
    latest = (
        select(ChecklistTemplate.site_kind, func.max(ChecklistTemplate.version).label("v"))
        .group_by(ChecklistTemplate.site_kind)
        .subquery()
    )
    rows = session.execute(
        select(ChecklistTemplate)
        .join(
            latest,
            (latest.c.site_kind == ChecklistTemplate.site_kind) & (latest.c.v == ChecklistTemplate.version),
        )
        .order_by(ChecklistTemplate.site_kind)
    ).scalars()
    return [checklist_public(session, r) for r in rows]


def _add_version(
    session: Session, site_kind: str, items: list[tuple[str, str, str, str]], by: User | None
) -> ChecklistTemplate:
    last = session.execute(
        select(func.max(ChecklistTemplate.version)).where(ChecklistTemplate.site_kind == site_kind)
    ).scalar()
    row = ChecklistTemplate(site_kind=site_kind, version=(last or 0) + 1, created_by_id=by.id if by else None)
    session.add(row)
    session.flush()
    for seq, (code, section, text, category) in enumerate(items, 1):
        session.add(
            ChecklistItem(
                template_id=row.id, code=code, seq=seq, section=section, text=text, category=category
            )
        )
    return row


def put_checklist(session: Session, admin: User, site_kind: str, data: ChecklistUpdate) -> ChecklistPublic:
    """Writes the kind's next version (the first if it had none); commits."""
    if not site_kind or len(site_kind) > 64:
        raise InvalidInput("site_kind: 1 to 64 characters")
    codes = [i.code for i in data.items]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise InvalidInput(f"items: code given more than once: {', '.join(twice)}")
    for item in data.items:
        get_category(session, item.category)
    items = [(i.code, i.section, i.text.strip(), i.category) for i in data.items]
    try:
        row = _add_version(session, site_kind, items, admin)
        session.commit()
    except IntegrityError as e:  # two admins saving the same kind at once: one of them gets the number
        session.rollback()
        raise Conflict(f"checklist {site_kind!r} was changed meanwhile; load it and save again") from e
    return checklist_public(session, row)


def seed_default_checklists(session: Session) -> int:
    """Version 1 of the default checklist for every kind that has none (not committed); how many written."""
    have = set(session.execute(select(ChecklistTemplate.site_kind).distinct()).scalars())
    kinds = [k for k in DEFAULT_CHECKLISTS if k not in have]
    for kind in kinds:
        _add_version(session, kind, DEFAULT_CHECKLISTS[kind], None)
    return len(kinds)
