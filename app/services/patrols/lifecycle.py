"""A patrol's life: started by a road chief, its track posted in batches, ended; each step one transaction."""

import hashlib
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.config import Settings
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.geo import to_wgs84_many
from app.models import Issue, Role, Unit, User
from app.models.base import utcnow
from app.models.patrol import (
    BatchAccepted,
    Patrol,
    PatrolBatch,
    PatrolEnd,
    PatrolIssue,
    PatrolPoint,
    PatrolPublic,
    PatrolStart,
    RoadCoverage,
    TrackBatch,
)
from app.services.patrols.issues import issues_during
from app.services.patrols.measure import (
    check_all,
    coverage,
    day_window,
    flags_json,
    frame_for,
    load_tracks,
    patrols_touching,
    segment_rows,
    segments_of,
    track_rules,
    walked_m,
)

RETRIES = 3  # two road chiefs of one unit posting at once both rewrite that day's coverage: the later retries


def _digest(user_id: int, body: dict) -> str:
    body = dict(body, user_id=user_id)
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _road_chief(user: User) -> None:
    if user.role != Role.road_chief or user.unit_id is None:
        raise PermissionDenied(f"patrols are made by road chiefs of a unit; you are {user.role}")


def own_patrol(session: Session, user: User, patrol_id: str) -> Patrol:
    _road_chief(user)
    patrol = session.get(Patrol, patrol_id)
    if patrol is None or patrol.user_id != user.id:
        raise NotFound(f"no patrol {patrol_id} of yours")
    return patrol


def _not_ahead(moment: datetime, now: datetime, settings: Settings, field: str) -> None:
    if moment > now + timedelta(seconds=settings.clock_skew_s):
        raise InvalidInput(f"{field}: {moment.isoformat()} is in the future; check the phone's clock")


def start_patrol(
    session: Session, settings: Settings, user: User, data: PatrolStart, now: datetime | None = None
) -> tuple[PatrolPublic, bool]:
    _road_chief(user)
    now = now or utcnow()
    patrol_id = str(data.id)
    digest = _digest(user.id, data.model_dump(mode="json", exclude={"id"}))
    existing = session.get(Patrol, patrol_id)
    if existing is not None:
        if existing.user_id != user.id or existing.content_hash != digest:
            raise Conflict(f"patrol id {patrol_id} is already used; a new patrol needs a new id")
        return render_patrol(session, settings, existing, now), False
    started = data.started_at or now
    _not_ahead(started, now, settings, "started_at")
    patrol = Patrol(
        id=patrol_id, user_id=user.id, unit_id=user.unit_id, started_at=started, content_hash=digest
    )
    session.add(patrol)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return start_patrol(session, settings, user, data, now)
    return render_patrol(session, settings, patrol, now), True


def add_points(
    session: Session,
    settings: Settings,
    user: User,
    patrol_id: str,
    data: TrackBatch,
    now: datetime | None = None,
) -> tuple[BatchAccepted, bool]:
    """Stores a batch of track points (once: a retried batch is answered as before, changing nothing)."""
    now = now or utcnow()
    batch_id = str(data.batch_id)
    digest = _digest(user.id, data.model_dump(mode="json", exclude={"batch_id"}) | {"patrol": patrol_id})
    for attempt in range(RETRIES):
        patrol = own_patrol(session, user, patrol_id)
        existing = session.get(PatrolBatch, batch_id)
        if existing is not None:
            if existing.patrol_id != patrol_id or existing.content_hash != digest:
                raise Conflict(
                    f"batch id {batch_id} is already used by other points; a new batch needs a new id"
                )
            patrol_public = render_patrol(session, settings, patrol, now)
            return BatchAccepted(batch_id=batch_id, accepted=existing.count, patrol=patrol_public), False
        lons, lats = to_wgs84_many([p.lon for p in data.points], [p.lat for p in data.points], data.crs)
        first = (
            session.execute(
                select(func.max(PatrolPoint.seq)).where(PatrolPoint.patrol_id == patrol_id)
            ).scalar()
            or 0
        ) + 1
        try:
            session.add(
                PatrolBatch(
                    id=batch_id,
                    patrol_id=patrol_id,
                    content_hash=digest,
                    first_seq=first,
                    count=len(data.points),
                    received_at=now,
                )
            )
            session.flush()
            session.add_all(
                PatrolPoint(
                    patrol_id=patrol_id,
                    seq=first + n,
                    batch_id=batch_id,
                    t=p.t,
                    lon=float(lon),
                    lat=float(lat),
                    accuracy_m=p.accuracy_m,
                    received_at=now,
                )
                for n, (p, lon, lat) in enumerate(zip(data.points, lons, lats, strict=True))
            )
            session.flush()
            refresh(session, settings, patrol)
            session.commit()
        except IntegrityError:
            session.rollback()
            if attempt == RETRIES - 1:
                raise
            continue
        return BatchAccepted(
            batch_id=batch_id, accepted=len(data.points), patrol=render_patrol(session, settings, patrol, now)
        ), True
    raise AssertionError("unreachable")


def end_patrol(
    session: Session,
    settings: Settings,
    user: User,
    patrol_id: str,
    data: PatrolEnd,
    now: datetime | None = None,
) -> PatrolPublic:
    """Ends the patrol (ending it again changes nothing) and settles its coverage."""
    now = now or utcnow()
    for attempt in range(RETRIES):
        patrol = own_patrol(session, user, patrol_id)
        if patrol.ended_at is not None:
            return render_patrol(session, settings, patrol, now)
        ended = data.ended_at or now
        _not_ahead(ended, now, settings, "ended_at")
        if ended < patrol.started_at:
            raise InvalidInput("ended_at: before the patrol started")
        patrol.ended_at = ended
        session.add(patrol)
        try:
            refresh(session, settings, patrol)
            session.commit()
        except IntegrityError:
            session.rollback()
            if attempt == RETRIES - 1:
                raise
            continue
        return render_patrol(session, settings, patrol, now)
    raise AssertionError("unreachable")


def refresh(session: Session, settings: Settings, patrol: Patrol) -> None:
    """Re-checks the patrol's whole track, and rewrites its unit's coverage of each local day it touches."""
    tracks = load_tracks(session, [patrol.id])
    segments = segments_of(session, [patrol.unit_id])
    frame = frame_for(segments, tracks)
    rules = track_rules(settings)
    measured = check_all(frame, tracks, rules).get(patrol.id)
    if measured is None:
        return
    trusted = measured.check.trusted
    patrol.point_count = len(measured.track)
    patrol.distance_m = round(walked_m(settings, measured), 1)
    patrol.flags = flags_json(measured.check)
    patrol.suspect = measured.check.suspect
    patrol.last_point_at = datetime.fromtimestamp(float(measured.track.t.max()), tz=ZoneInfo("UTC"))
    session.add(patrol)
    tz = ZoneInfo(settings.timezone)
    days = sorted({datetime.fromtimestamp(float(t), tz).date() for t in measured.track.t[trusted]})
    for day in days:
        window = day_window(day, settings.timezone)
        others = patrols_touching(session, *window, [patrol.unit_id])
        all_tracks = load_tracks(session, {p.id for p in others} | {patrol.id})
        covered = coverage(settings, frame, segments, check_all(frame, all_tracks, rules).values(), window)
        session.execute(
            delete(RoadCoverage).where(RoadCoverage.unit_id == patrol.unit_id, RoadCoverage.day == day)
        )
        session.add_all(
            RoadCoverage(
                zone_id=s.zone_id,
                day=day,
                unit_id=patrol.unit_id,
                length_m=round(c.length_m, 1),
                covered_m=round(c.covered_m, 1),
                share=round(c.share, 4),
            )
            for s, c in zip(segments, covered, strict=True)
        )
    session.flush()


def patrol_issues(session: Session, patrol: Patrol, now: datetime) -> list[Issue]:
    """The issues its road chief reported while the patrol lasted."""
    return issues_during(session, [patrol], patrol.started_at, None, now).get(patrol.id, [])


def render_patrol(session: Session, settings: Settings, patrol: Patrol, now: datetime) -> PatrolPublic:
    tracks = load_tracks(session, [patrol.id])
    segments = segments_of(session, [patrol.unit_id])
    frame = frame_for(segments, tracks)
    measured = check_all(frame, tracks, track_rules(settings))
    covered = coverage(settings, frame, segments, measured.values())
    user = session.get(User, patrol.user_id)
    unit = session.get(Unit, patrol.unit_id)
    return PatrolPublic(
        id=patrol.id,
        user=user.username,
        user_name=user.display_name,
        unit=unit.code,
        status="ended" if patrol.ended_at else "active",
        started_at=patrol.started_at,
        ended_at=patrol.ended_at,
        points=patrol.point_count,
        distance_m=patrol.distance_m,
        flags=json.loads(patrol.flags),
        suspect=patrol.suspect,
        segments=segment_rows(settings, segments, covered),
        issues=[
            PatrolIssue(
                id=i.id,
                ref=i.ref,
                category=i.category,
                status=i.status,
                fixed_on_site=i.fixed_on_site,
                created_at=i.created_at,
            )
            for i in patrol_issues(session, patrol, now)
        ],
    )
