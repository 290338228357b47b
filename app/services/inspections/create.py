"""Recording an inspection: checked against its checklist version and the inspector's position, its failed
items reported as issues, all in one transaction; idempotent on the client's id."""

import hashlib
import json
import uuid
from datetime import datetime

import shapely
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.config import Settings
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.geo import to_wgs84
from app.geo.metric import distance_to_shape_m
from app.inspection import Answer, check_answers
from app.models import Photo, Role, User, Zone
from app.models.base import utcnow
from app.models.inspection import Inspection, InspectionCreate, InspectionItem, InspectionPublic
from app.models.issue import IssueCreate
from app.services.inspections.checklists import item_specs, template
from app.services.inspections.render import render_inspection
from app.services.issues.create import add_issue

RULE_NOT_AT_SITE = "inspector_not_at_site"


def content_hash(inspector_id: int, data: InspectionCreate) -> str:
    body = data.model_dump(mode="json", exclude={"id"})
    body["inspector_id"] = inspector_id
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def site_zone(session: Session, code: str) -> Zone:
    site = session.execute(select(Zone).where(Zone.layer == "site", Zone.code == code)).scalar_one_or_none()
    if site is None:
        raise NotFound(f"no site {code!r}")
    return site


def inspecting_as(user: User, site: Zone) -> bool:
    """Whether this user may inspect the site, as a self-check (True) or not (False); else PermissionDenied."""
    if user.role in (Role.office, Role.admin):
        return False
    if user.role == Role.unit and user.unit_id == site.unit_id:
        return True
    if user.role == Role.unit:
        raise PermissionDenied(f"a unit self-checks only its own sites; {site.code} is another unit's")
    raise PermissionDenied(f"inspections are made by the office or the site's own unit; you are {user.role}")


def issue_id_of(inspection_id: str, code: str) -> str:
    """The id of the issue a failed item becomes: fixed by the inspection and the item."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xuncha:inspection:{inspection_id}:{code}"))


def create_inspection(
    session: Session, settings: Settings, user: User, data: InspectionCreate, now: datetime | None = None
) -> tuple[InspectionPublic, bool]:
    """Records an inspection and reports each failed item as an issue; commits once for all of it.

    Returns (the inspection, True) when new, (the same, False) for a retry of the same content by the same
    user. Raises NotFound (no such site), PermissionDenied (a role or unit that may not inspect it), Conflict
    (the id is taken by other content), InvalidInput (a checklist version the site's kind never had, answers
    that do not fit it, a photo that is not the inspector's, or `inspector_not_at_site`).
    """
    now = now or utcnow()
    inspection_id = str(data.id)
    digest = content_hash(user.id, data)
    existing = session.get(Inspection, inspection_id)
    if existing is not None:
        return _retried(session, existing, digest), False
    site = site_zone(session, data.site)
    self_check = inspecting_as(user, site)
    if not site.category:
        raise InvalidInput(f"site: {site.code} has no kind, so no checklist")
    try:
        checklist = template(session, site.category, data.version)
    except NotFound as e:
        raise InvalidInput(f"version: {e.detail}") from e
    specs = item_specs(session, checklist.id)
    answers = [Answer(a.code, a.result, tuple(a.photo_ids)) for a in data.items]
    problems = check_answers(specs, answers)
    if problems:
        raise InvalidInput("; ".join(problems))
    _check_photos(session, user, [p for a in data.items for p in a.photo_ids])
    lon, lat = to_wgs84(data.lon, data.lat, data.crs)
    distance = distance_to_shape_m(shapely.from_geojson(site.geometry), lon, lat)
    if distance > settings.inspection_radius_m:
        raise InvalidInput(
            f"{RULE_NOT_AT_SITE}: you are {distance:.0f} m from {site.name} ({site.code}); an inspection is made "
            f"at the site (within {settings.inspection_radius_m:.0f} m)"
        )
    by_code = {s.code: s for s in specs}
    counts = {"pass": 0, "fail": 0, "na": 0}
    try:
        rows = []
        for answer in data.items:
            spec = by_code[answer.code]
            counts[answer.result] += 1
            issue_id = None
            if answer.result == "fail":
                note = answer.note.strip()
                report = IssueCreate(
                    id=uuid.UUID(issue_id_of(inspection_id, spec.code)),
                    category=spec.category,
                    description=f"{site.name}：{spec.text}" + (f"（{note}）" if note else ""),
                    lat=lat,
                    lon=lon,
                    accuracy_m=data.accuracy_m,
                    photo_ids=answer.photo_ids,
                )
                issue = add_issue(session, settings, user, report, now, unit_id=site.unit_id, site=site)
                issue_id = issue.id
            rows.append(
                InspectionItem(
                    inspection_id=inspection_id,
                    code=spec.code,
                    seq=spec.seq,
                    result=answer.result,
                    note=answer.note.strip(),
                    photo_ids=",".join(answer.photo_ids),
                    issue_id=issue_id,
                )
            )
        inspection = Inspection(
            id=inspection_id,
            site_zone_id=site.id,
            unit_id=site.unit_id,
            template_id=checklist.id,
            inspector_id=user.id,
            self_check=self_check,
            lat=lat,
            lon=lon,
            accuracy_m=data.accuracy_m,
            distance_m=round(distance, 1),
            note=data.note.strip(),
            passed=counts["pass"],
            failed=counts["fail"],
            na=counts["na"],
            content_hash=digest,
            at=now,
        )
        session.add(inspection)
        session.flush()
        session.add_all(rows)
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = session.get(Inspection, inspection_id)
        if existing is None:
            raise
        return _retried(session, existing, digest), False
    except Exception:
        session.rollback()  # a refusal half-way (a photo of an item) leaves nothing behind
        raise
    return render_inspection(session, inspection), True


def _check_photos(session: Session, user: User, photo_ids: list[str]) -> None:
    if not photo_ids:
        return
    found = {p.id: p for p in session.execute(select(Photo).where(Photo.id.in_(photo_ids))).scalars()}
    missing = [p for p in dict.fromkeys(photo_ids) if p not in found]
    if missing:
        raise InvalidInput(
            f"unknown_photo: no photo {', '.join(missing)}; upload it first (POST /api/v1/photos)"
        )
    foreign = [p.id for p in found.values() if p.uploader_id != user.id]
    if foreign:
        raise InvalidInput(f"photo_not_yours: photo {', '.join(foreign)} was uploaded by someone else")


def _retried(session: Session, existing: Inspection, digest: str) -> InspectionPublic:
    if existing.content_hash != digest:
        raise Conflict(
            f"inspection id {existing.id} is already used by another inspection; a new inspection needs a new id"
        )
    return render_inspection(session, existing)
