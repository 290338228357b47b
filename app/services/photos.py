"""Photos: ingest an upload, serve its files, and find look-alikes for the anti-fraud rules.

Ingest writes the files first (content-addressed, atomic, durable) and the row after, in one transaction, so
a row never exists without its files; a crash between the two leaves only files a retry reuses. The unique
sha256 makes the same bytes the same photo, even for two uploads racing each other.

Look-alikes are found by index, not by scanning (multi-index hashing): the 64-bit hash is also stored as four
indexed 16-bit bands. Two hashes within d bits differ in some band by at most d // 4 bits (else they would
differ by at least 4 * (d // 4 + 1) > d), so the candidates are the rows whose band i is one of the few values
within d // 4 bits of the query's band i: for the default d = 6, 17 values a band, four IN lists on four
indexes (a multi-index OR on SQLite, a BitmapOr on PostgreSQL). The exact Hamming distance is then checked on
that handful of rows, and "attached to an issue" by an EXISTS probe of issue_photo's index. The cost follows
the number of near rows, not the size of the table, and the SQL is the same on both databases.
"""

import asyncio
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import anyio
from sqlalchemy import exists, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.config import Settings
from app.db import new_session
from app.errors import NotFound
from app.geo.crs import Crs, to_wgs84
from app.models import OFFICE_ROLES, Issue, IssuePhoto, Photo, PhotoForm, PhotoPublic, User
from app.models.directive import DirectivePhoto, DirectiveRecipient
from app.models.photo import BAND_BITS, BANDS, phash_bands
from app.photos.derive import Derived, derive
from app.photos.errors import NotAnImage
from app.photos.phash import hamming, to_hex, to_signed, within_bits
from app.photos.sniff import EXTENSION, SNIFF_BYTES, sniff
from app.services.issues.query import visible_clause
from app.storage import KINDS, IncomingFile, Kind, PhotoStore

log = logging.getLogger("xuncha.photos")
MEDIA_TYPE: dict[str, str] = {"display": "image/jpeg", "thumb": "image/jpeg"}
# a hash within d bits of another shares one of the four bands within d // 4 bits (pigeonhole); past 3 bits
# a band has 697 neighbours and four IN lists of them stop being selective
MAX_BAND_RADIUS = 3
BAND_COLUMNS = (Photo.phash_band0, Photo.phash_band1, Photo.phash_band2, Photo.phash_band3)


def _by_sha256(session: Session, sha256: str) -> Photo | None:
    return session.exec(select(Photo).where(Photo.sha256 == sha256)).first()


def _utc(moment: datetime | None, settings: Settings) -> datetime | None:
    """In UTC; a time without a zone is read in XUNCHA_TIMEZONE (phones and EXIF often give none)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.timezone))
    return moment.astimezone(UTC)


def _sniffed(upload: IncomingFile) -> str:
    if upload.size == 0:
        raise NotAnImage("the file is empty; send a JPEG, PNG, WebP or HEIC photo")
    with upload.path.open("rb") as f:
        mime = sniff(f.read(SNIFF_BYTES))
    if mime is None:
        raise NotAnImage(
            "the file is not a JPEG, PNG, WebP or HEIC photo (its bytes say so, whatever its name or type)"
        )
    return mime


def _store_files(store: PhotoStore, upload: IncomingFile, mime: str, settings: Settings) -> Derived:
    """Derive and durably save every file of the upload; return what was derived."""
    derived = derive(
        upload.path,
        mime,
        max_pixels=settings.max_image_pixels,
        max_bytes=settings.max_decode_bytes,
        local=ZoneInfo(settings.timezone),
    )
    store.save(upload.sha256, upload, {"display": derived.display, "thumb": derived.thumb})
    return derived


def _new_photo(
    upload: IncomingFile,
    mime: str,
    derived: Derived,
    form: PhotoForm,
    uploader_id: int | None,
    settings: Settings,
) -> Photo:
    lon, lat = (None, None)
    if form.lat is not None and form.lon is not None:
        lon, lat = to_wgs84(form.lon, form.lat, form.crs or Crs.wgs84)
    facts = derived.exif
    return Photo(
        id=str(uuid.uuid4()),
        sha256=upload.sha256,
        phash=to_hex(derived.phash),
        phash_int=to_signed(derived.phash),
        mime=mime,
        size_bytes=upload.size,
        width=derived.width,
        height=derived.height,
        exif_lat=facts.lat,
        exif_lon=facts.lon,
        exif_accuracy_m=facts.accuracy_m,
        exif_taken_at=_utc(facts.taken_at, settings),
        device=facts.device,
        form_lat=lat,
        form_lon=lon,
        form_crs=(form.crs or Crs.wgs84).value if lat is not None else None,
        accuracy_m=form.accuracy_m,
        form_taken_at=_utc(form.taken_at, settings),
        uploader_id=uploader_id,
    )


def ingest(
    session: Session,
    store: PhotoStore,
    upload: IncomingFile,
    form: PhotoForm,
    uploader_id: int | None,
    settings: Settings,
) -> tuple[Photo, bool]:
    """Keep a finished upload as a photo: (the photo, True) when new, (the existing photo, False) when known.

    Raises NotAnImage (415), TooManyPixels or BrokenImage (422). `upload` is moved into the store; the caller
    still discards it afterwards (a no-op once kept).
    """
    existing = _by_sha256(session, upload.sha256)
    if existing is not None:
        if not all(store.has(existing.sha256, kind) for kind in KINDS):
            log.warning("photo %s had files missing; derived again from a new upload", existing.id)
            _store_files(store, upload, existing.mime, settings)
        return existing, False
    mime = _sniffed(upload)
    derived = _store_files(store, upload, mime, settings)
    photo = _new_photo(upload, mime, derived, form, uploader_id, settings)
    session.add(photo)
    try:
        session.commit()
    except IntegrityError:  # the same bytes committed by a concurrent upload a moment ago
        session.rollback()
        existing = _by_sha256(session, upload.sha256)
        if existing is None:
            raise
        return existing, False
    return photo, True


def ingest_in_own_session(
    store: PhotoStore, upload: IncomingFile, form: PhotoForm, uploader_id: int | None, settings: Settings
) -> tuple[Photo, bool]:
    """ingest() in a session opened only now: the upload streamed in holding no database connection."""
    with new_session() as session:
        return ingest(session, store, upload, form, uploader_id, settings)


_DECODE_LIMITERS: dict[tuple[int, int], anyio.CapacityLimiter] = {}


def decode_limiter(max_decodes: int) -> anyio.CapacityLimiter:
    """The one bound on images decoded at once in this process (each may take XUNCHA_MAX_DECODE_MB), for
    the running event loop (a limiter belongs to one loop; tests run several)."""
    key = (max_decodes, id(asyncio.get_running_loop()))
    if key not in _DECODE_LIMITERS:
        _DECODE_LIMITERS[key] = anyio.CapacityLimiter(max_decodes)
    return _DECODE_LIMITERS[key]


def photo_public(photo: Photo) -> PhotoPublic:
    return PhotoPublic(
        id=photo.id,
        sha256=photo.sha256,
        width=photo.width,
        height=photo.height,
        taken_at=photo.taken_at,
        lat=photo.lat,
        lon=photo.lon,
        phash=photo.phash,
        accuracy_m=photo.location_accuracy_m,
        location_from=photo.location_from,
        taken_at_from=photo.taken_at_from,
        mime=photo.mime,
        size_bytes=photo.size_bytes,
    )


def get_photo(session: Session, photo_id: str) -> Photo:
    photo = session.get(Photo, photo_id)
    if photo is None:
        raise NotFound(f"no photo {photo_id!r}")
    return photo


@dataclass(frozen=True)
class PhotoFile:
    """One stored file of a photo, ready to stream."""

    store: PhotoStore
    sha256: str
    kind: Kind
    media_type: str
    size: int
    filename: str

    @property
    def etag(self) -> str:
        return f'"{self.sha256[:32]}-{self.kind}"'

    def chunks(self) -> Iterator[bytes]:
        return self.store.read(self.sha256, self.kind)


def may_see_photo(session: Session, user: User, photo: Photo) -> bool:
    """Its uploader, whoever may see an issue it is attached to, and for a directive's photo: the office, and a
    recipient unit's users (the office's photos of it, and their own unit's report that it is done)."""
    if photo.uploader_id == user.id:
        return True
    seen = session.exec(
        select(IssuePhoto.issue_id)
        .join(Issue, Issue.id == IssuePhoto.issue_id)
        .where(IssuePhoto.photo_id == photo.id, visible_clause(user))
        .limit(1)
    ).first()
    return seen is not None or _directive_photo_seen(session, user, photo.id)


def _directive_photo_seen(session: Session, user: User, photo_id: str) -> bool:
    query = select(DirectivePhoto.id).where(DirectivePhoto.photo_id == photo_id)
    if user.role not in OFFICE_ROLES:
        if user.unit_id is None:
            return False
        query = query.join(
            DirectiveRecipient,
            (DirectiveRecipient.directive_id == DirectivePhoto.directive_id)
            & (DirectiveRecipient.unit_id == user.unit_id),
        ).where(or_(DirectivePhoto.unit_id.is_(None), DirectivePhoto.unit_id == user.unit_id))
    return session.exec(query.limit(1)).first() is not None


def photo_file(
    session: Session, store: PhotoStore, photo_id: str, kind: Kind, user: User | None = None
) -> PhotoFile:
    """A photo's file; with `user`, only if that user may see the photo (else NotFound, as for no photo)."""
    photo = get_photo(session, photo_id)
    if user is not None and not may_see_photo(session, user, photo):
        raise NotFound(f"no photo {photo_id!r}")
    if not store.has(photo.sha256, kind):
        log.error("photo %s has no %s file in the store", photo.id, kind)
        raise NotFound(f"the {kind} file of photo {photo_id!r} is missing from storage")
    suffix = EXTENSION.get(photo.mime, "") if kind == "original" else ".jpg"
    return PhotoFile(
        store=store,
        sha256=photo.sha256,
        kind=kind,
        media_type=MEDIA_TYPE.get(kind, photo.mime),
        size=store.size(photo.sha256, kind),
        filename=f"{photo.id}{'' if kind == 'original' else '-' + kind}{suffix}",
    )


def _lookalikes(session: Session, phash_int: int, max_distance: int, *conditions) -> list[tuple[Photo, int]]:
    """(photo, distance) for every photo within `max_distance` bits of `phash_int` meeting `conditions`."""
    radius = max_distance // BANDS
    if radius <= MAX_BAND_RADIUS:
        probes = [within_bits(band, BAND_BITS, radius) for band in phash_bands(phash_int)]
        conditions = (
            or_(*(column.in_(p) for column, p in zip(BAND_COLUMNS, probes, strict=True))),
            *conditions,
        )
    else:  # too far for the bands to narrow anything down: every row is a candidate
        log.info("look-alike search within %d bits scans every photo", max_distance)
    found = []
    for photo in session.exec(select(Photo).where(*conditions)):
        distance = hamming(photo.phash_int, phash_int)
        if distance <= max_distance:
            found.append((photo, distance))
    return found


def attached_lookalike(session: Session, photo: Photo, max_distance: int) -> Photo | None:
    """The photo already attached to an issue that `photo` re-uses (same bytes or perceptually the same).

    The closest wins (same sha256 first, then the smallest distance, then the oldest). `photo` itself is
    never the answer: whether it is attached itself is is_attached().
    """
    attached = exists().where(IssuePhoto.photo_id == Photo.id)
    found = _lookalikes(session, photo.phash_int, max_distance, Photo.id != photo.id, attached)
    best = min(
        found, key=lambda pd: (pd[0].sha256 != photo.sha256, pd[1], pd[0].created_at, pd[0].id), default=None
    )
    return best[0] if best else None


def is_attached(session: Session, photo_id: str) -> bool:
    """Whether the photo is attached to any issue already."""
    return (
        session.exec(select(IssuePhoto.photo_id).where(IssuePhoto.photo_id == photo_id).limit(1)).first()
        is not None
    )


def near_duplicates(
    session: Session, phash_int: int, max_distance: int, limit: int = 20
) -> list[tuple[Photo, int]]:
    """Every photo within `max_distance` bits of `phash_int`, closest first: (photo, distance)."""
    found = _lookalikes(session, phash_int, max_distance)
    return sorted(found, key=lambda pd: (pd[1], pd[0].created_at, pd[0].id))[:limit]
