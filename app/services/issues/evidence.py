"""Turns the photo ids of a request into the facts the anti-fraud rules judge (app/workflow/evidence.py)."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session

from app.config import Settings
from app.errors import NotFound
from app.geo import distance_m
from app.models import Issue, IssuePhoto, Photo, User
from app.photos.phash import hamming
from app.services import photos as photo_service
from app.workflow.evidence import NOBODY, EvidenceRules, PhotoFacts


def evidence_rules(settings: Settings) -> EvidenceRules:
    return EvidenceRules(radius_m=settings.rectify_radius_m, clock_skew_s=settings.clock_skew_s)


def load_photos(session: Session, ids: Sequence[str]) -> dict[str, Photo | None]:
    """Each id (repeats dropped, order kept) with its photo, or None when there is no such photo."""
    found: dict[str, Photo | None] = {}
    for photo_id in dict.fromkeys(ids):
        try:
            found[photo_id] = photo_service.get_photo(session, photo_id)
        except NotFound:
            found[photo_id] = None
    return found


def _issue_holding(session: Session, photo_id: str) -> tuple[str, str] | None:
    """(id, ref) of an issue the photo is attached to, if any."""
    row = session.execute(
        select(Issue.id, Issue.ref)
        .join(IssuePhoto, IssuePhoto.issue_id == Issue.id)
        .where(IssuePhoto.photo_id == photo_id)
        .order_by(Issue.created_at)
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def _reused_by(session: Session, settings: Settings, photo: Photo, issue_id: str | None) -> str | None:
    """Where this picture is already attached (itself, or a look-alike), said for a person; None if new."""
    holder = _issue_holding(session, photo.id)
    if holder is None:
        twin = photo_service.attached_lookalike(session, photo, settings.phash_max_distance)
        holder = _issue_holding(session, twin.id) if twin else None
    if holder is None:
        return None
    return "this issue" if holder[0] == issue_id else f"issue {holder[1]}"


def photo_facts(
    session: Session,
    settings: Settings,
    photos: dict[str, Photo | None],
    lon: float,
    lat: float,
    issue_id: str | None,
    check_reuse: bool,
    also_against: Sequence[Photo] = (),
    also_named: str = "",
) -> tuple[PhotoFacts, ...]:
    """The facts of each photo relative to an issue at (lon, lat).

    With check_reuse, a photo matching one attached to any issue, or one of `also_against` (the before photos
    of the same report), is marked as re-used.
    """
    facts = []
    attached_here: set[str] = set()
    if issue_id is not None and photos:
        attached_here = set(
            session.execute(
                select(IssuePhoto.photo_id).where(
                    IssuePhoto.issue_id == issue_id, IssuePhoto.photo_id.in_(photos)
                )
            ).scalars()
        )
    uploaders = {p.uploader_id for p in photos.values() if p is not None and p.uploader_id is not None}
    uploader_units: dict[int, int | None] = (
        dict(session.execute(select(User.id, User.unit_id).where(User.id.in_(uploaders))).all())
        if uploaders
        else {}
    )
    for photo_id, photo in photos.items():
        if photo is None:
            facts.append(PhotoFacts(photo_id, found=False))
            continue
        reused = None
        if check_reuse:
            reused = _reused_by(session, settings, photo, issue_id)
            if reused is None and any(_same_picture(photo, other, settings) for other in also_against):
                reused = also_named
        distance = None
        if photo.lat is not None and photo.lon is not None:
            distance = distance_m(lon, lat, photo.lon, photo.lat)
        facts.append(
            PhotoFacts(
                photo_id,
                distance_m=distance,
                taken_at=photo.taken_at,
                reused_by=reused,
                attached_here=photo_id in attached_here,
                uploader_id=NOBODY if photo.uploader_id is None else photo.uploader_id,
                uploader_unit_id=uploader_units.get(photo.uploader_id),
            )
        )
    return tuple(facts)


def _same_picture(a: Photo, b: Photo, settings: Settings) -> bool:
    return a.sha256 == b.sha256 or hamming(a.phash_int, b.phash_int) <= settings.phash_max_distance
