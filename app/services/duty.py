"""Staff on post (到岗): duty posts at sites, check-ins from the phone (on the site, with a fresh photo that
passes the evidence rules), which posts were staffed at any moment, and empty posts found on the spot."""

import json
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from shapely.geometry import shape
from sqlalchemy import distinct, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.config import Settings
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.geo import to_wgs84
from app.geo.nearest import distance_to_m
from app.models import FIELD_ROLES, OFFICE_ROLES, Role, Unit, User, Zone
from app.models.base import utcnow
from app.models.duty import (
    CheckInCreate,
    CheckInPublic,
    DutyCheckIn,
    DutyPost,
    DutyPostCreate,
    DutyPostPublic,
    DutyPostUpdate,
    DutyStatus,
    EmptyPostFinding,
    FindingCreate,
    PostState,
)
from app.services.calendar import work_calendar
from app.services.issues.evidence import evidence_rules, load_photos, photo_facts
from app.workflow.deadlines import WorkCalendar, parse_periods
from app.workflow.evidence import evidence_flags, evidence_problems
from app.workflow.scoring import Lapse, Rule

CHECKIN_ROLES = (*FIELD_ROLES, Role.unit)
REUSE_WINDOW = timedelta(days=30)  # earlier check-ins at the post whose photos a new one must not look like
FINDING_REPEAT = timedelta(minutes=30)  # a post found empty again within this is the same finding (a retry)
FAR_PAST = datetime(2000, 1, 1).astimezone()


def _site(session: Session, ref: str) -> Zone:
    layer, _, code = ref.rpartition(":")
    zone = session.execute(select(Zone).where(Zone.layer == (layer or "site"), Zone.code == code)).scalar()
    if zone is None:
        raise InvalidInput(f"site: no zone {ref!r} (a site's code, or layer:code)")
    return zone


def post_periods(text: str) -> list[tuple[time, time]]:
    """A post's hours, every day; a period may end at 24:00 (the day's last instant, kept inclusive by on_duty),
    so that "00:00-24:00" is the whole day, which "00:00-23:59" is not by a minute."""
    return parse_periods(re.sub(r"-\s*24:00(:00)?\s*(?=,|$)", "-23:59:59.999999", text))


def _hours(text: str | None) -> str | None:
    if not text:
        return None
    try:
        post_periods(text)
    except ValueError as e:
        raise InvalidInput(f"hours: {e}; write them like 07:00-09:00,17:00-19:00") from e
    return text


def post_public(session: Session, post: DutyPost) -> DutyPostPublic:
    zone, unit = session.get(Zone, post.zone_id), session.get(Unit, post.unit_id)
    return DutyPostPublic(
        id=post.id,
        site=f"{zone.layer}:{zone.code}",
        site_name=zone.name,
        unit=unit.code,
        unit_name=unit.name,
        headcount=post.headcount,
        hours=post.hours,
        active=post.active,
    )


def create_post(session: Session, data: DutyPostCreate) -> DutyPostPublic:
    zone = _site(session, data.site)
    unit = session.execute(select(Unit).where(Unit.code == data.unit)).scalar()
    if unit is None:
        raise InvalidInput(f"unit: no unit {data.unit!r}")
    post = DutyPost(zone_id=zone.id, unit_id=unit.id, headcount=data.headcount, hours=_hours(data.hours))
    session.add(post)
    try:
        session.commit()
    except IntegrityError as e:
        session.rollback()
        raise Conflict(f"{unit.code} already has a post at {zone.code}; change that one") from e
    return post_public(session, post)


def _post(session: Session, post_id: int) -> DutyPost:
    post = session.get(DutyPost, post_id)
    if post is None:
        raise NotFound(f"no duty post {post_id}")
    return post


def update_post(session: Session, post_id: int, data: DutyPostUpdate) -> DutyPostPublic:
    post = _post(session, post_id)
    changes = data.model_dump(exclude_unset=True)
    if "hours" in changes:
        post.hours = _hours(changes.pop("hours"))
    for name, value in changes.items():
        if value is not None:
            setattr(post, name, value)
    session.add(post)
    session.commit()
    return post_public(session, post)


def list_posts(session: Session, user: User) -> list[DutyPostPublic]:
    """Every post for the office; the user's unit's posts for others."""
    query = select(DutyPost).order_by(DutyPost.id)
    if user.role not in OFFICE_ROLES:
        query = query.where(DutyPost.unit_id == (user.unit_id or -1), DutyPost.active.is_(True))
    return [post_public(session, p) for p in session.execute(query).scalars()]


def check_in(
    session: Session, settings: Settings, user: User, data: CheckInCreate, now: datetime | None = None
) -> CheckInPublic:
    """A person of the post's unit checks in: on the site (or within the tolerance), with a fresh photo of
    their own that no issue or earlier check-in already holds, taken where they stand."""
    now = now or utcnow()
    post = _post(session, data.post_id)
    if not post.active:
        raise NotFound(f"no duty post {data.post_id}")
    if user.role not in CHECKIN_ROLES or user.unit_id != post.unit_id:
        raise PermissionDenied("only the people of the post's unit check in at it")
    lon, lat = to_wgs84(data.lon, data.lat, data.crs)
    zone = session.get(Zone, post.zone_id)
    distance = distance_to_m(shape(json.loads(zone.geometry)), lon, lat)
    if distance > settings.checkin_tolerance_m:
        raise InvalidInput(
            f"checkin_too_far: you are {distance:.0f} m from {zone.name}; check in on the site "
            f"(within {settings.checkin_tolerance_m:.0f} m)"
        )
    photos = load_photos(session, [data.photo_id])
    photo = photos[data.photo_id]
    if photo is None:
        raise InvalidInput(f"photo_id: no photo {data.photo_id}; upload it first with POST /api/v1/photos")
    if photo.uploader_id != user.id:
        raise InvalidInput(f"photo_id: photo {data.photo_id} was uploaded by someone else; take your own")
    earlier = (
        session.execute(
            select(DutyCheckIn.photo_id).where(
                DutyCheckIn.post_id == post.id, DutyCheckIn.at >= now - REUSE_WINDOW
            )
        )
        .scalars()
        .all()
    )
    rules = evidence_rules(settings)
    facts = photo_facts(
        session,
        settings,
        photos,
        lon,
        lat,
        None,
        check_reuse=True,
        also_against=[p for p in load_photos(session, earlier).values() if p is not None],
        also_named="an earlier check-in at this post",
    )
    if data.photo_id in earlier:
        again = _same_check_in(session, settings, user, post.id, data.photo_id, now)
        if again is not None:  # a retry after a lost answer: the check-in was made
            return _check_in_public(again, user)
        raise InvalidInput(f"photo_reused: photo {data.photo_id} already proved a check-in; take a new photo")
    problems = evidence_problems(facts, FAR_PAST, rules)
    oldest = now - timedelta(seconds=settings.checkin_photo_max_age_s + settings.clock_skew_s)
    if photo.taken_at is not None and photo.taken_at < oldest:
        problems.append(
            f"photo_not_fresh: photo {data.photo_id} was taken at {photo.taken_at.isoformat()}; "
            f"a check-in needs one taken in the last {settings.checkin_photo_max_age_s // 60} minutes"
        )
    if problems:
        raise InvalidInput("; ".join(problems))
    row = DutyCheckIn(
        post_id=post.id,
        user_id=user.id,
        at=now,
        lat=lat,
        lon=lon,
        accuracy_m=data.accuracy_m,
        distance_m=round(distance, 1),
        photo_id=data.photo_id,
        flags=",".join(evidence_flags(facts, now, rules)),
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError as e:
        session.rollback()
        raise InvalidInput(f"photo_reused: photo {data.photo_id} already proved a check-in") from e
    return _check_in_public(row, user)


def _same_check_in(
    session: Session, settings: Settings, user: User, post_id: int, photo_id: str, now: datetime
) -> DutyCheckIn | None:
    """This person's check-in at this post with this photo, still valid now: what a retry of it asks for."""
    return session.execute(
        select(DutyCheckIn).where(
            DutyCheckIn.post_id == post_id,
            DutyCheckIn.user_id == user.id,
            DutyCheckIn.photo_id == photo_id,
            DutyCheckIn.at > now - timedelta(minutes=settings.checkin_valid_minutes),
        )
    ).scalar_one_or_none()


def _check_in_public(row: DutyCheckIn, user: User) -> CheckInPublic:
    return CheckInPublic(
        id=row.id,
        post_id=row.post_id,
        user=user.username,
        at=row.at,
        distance_m=row.distance_m,
        photo_id=row.photo_id,
        flags=[f for f in row.flags.split(",") if f],
    )


def on_duty(post: DutyPost, calendar: WorkCalendar, moment: datetime) -> bool:
    """Whether the post is meant to be staffed then: its own hours every day, else the working calendar's."""
    if not post.hours:
        return calendar.is_working_time(moment)
    local = moment.astimezone(calendar.tz).time()
    return any(a <= local and (local < b or b == time.max) for a, b in post_periods(post.hours))


def _present(session: Session, settings: Settings, post_id: int, at: datetime) -> int:
    since = at - timedelta(minutes=settings.checkin_valid_minutes)
    return session.execute(
        select(func.count(distinct(DutyCheckIn.user_id))).where(
            DutyCheckIn.post_id == post_id, DutyCheckIn.at > since, DutyCheckIn.at <= at
        )
    ).scalar_one()


def duty_status(session: Session, settings: Settings, at: datetime | None = None) -> DutyStatus:
    """Every active post at a moment (now or any past one): staffed, short, empty, or off duty."""
    at = at or utcnow()
    calendar = work_calendar(session, settings, at)
    states = []
    for post in session.execute(
        select(DutyPost).where(DutyPost.active.is_(True)).order_by(DutyPost.id)
    ).scalars():
        present = _present(session, settings, post.id, at)
        meant = on_duty(post, calendar, at)
        state = (
            "off_duty"
            if not meant
            else "staffed"
            if present >= post.headcount
            else "short"
            if present
            else "empty"
        )
        states.append(
            PostState(post=post_public(session, post), on_duty=meant, checked_in=present, state=state)
        )
    return DutyStatus(at=at, posts=states)


def record_empty(
    session: Session, settings: Settings, user: User, data: FindingCreate, now: datetime | None = None
) -> DutyStatus:
    """The supervision team records a post found empty on the spot: refused while anyone is checked in, off its
    hours, or (when the finder's position is sent) away from the site. A post found empty again within
    FINDING_REPEAT (a retry, a second tap, a colleague) is the same finding: it costs the unit once."""
    now = now or utcnow()
    # the post's row locked (PostgreSQL): two people recording it at once are one finding, not two
    post = session.get(DutyPost, data.post_id, with_for_update=True)
    if post is None or not post.active:
        raise NotFound(f"no duty post {data.post_id}")
    present = _present(session, settings, post.id, now)
    if present:
        raise Conflict(f"post {post.id} has {present} checked in now; it is not empty")
    if not on_duty(post, work_calendar(session, settings, now), now):
        raise Conflict(f"post {post.id} is not meant to be staffed now")
    distance = None
    if data.lat is not None and data.lon is not None:
        lon, lat = to_wgs84(data.lon, data.lat, data.crs)
        zone = session.get(Zone, post.zone_id)
        distance = round(distance_to_m(shape(json.loads(zone.geometry)), lon, lat), 1)
        if distance > settings.checkin_tolerance_m:
            raise InvalidInput(
                f"finding_too_far: you are {distance:.0f} m from {zone.name}; a post is found empty on the "
                f"spot (within {settings.checkin_tolerance_m:.0f} m)"
            )
    if data.photo_id is not None:
        photo = load_photos(session, [data.photo_id])[data.photo_id]
        if photo is None or photo.uploader_id != user.id:
            raise InvalidInput(f"photo_id: no photo {data.photo_id} of yours; upload it first")
    recent = session.execute(
        select(EmptyPostFinding.id).where(
            EmptyPostFinding.post_id == post.id, EmptyPostFinding.at > now - FINDING_REPEAT
        )
    ).first()
    if recent is None:
        session.add(
            EmptyPostFinding(
                post_id=post.id,
                unit_id=post.unit_id,
                user_id=user.id,
                at=now,
                note=data.note.strip(),
                photo_id=data.photo_id,
                distance_m=distance,
            )
        )
        session.commit()
    return duty_status(session, settings, now)


def empty_post_lapses(
    session: Session, start: datetime, end: datetime, _now: datetime, unit_id: int | None
) -> list[Lapse]:
    query = (
        select(EmptyPostFinding, Zone.name)
        .join(DutyPost, DutyPost.id == EmptyPostFinding.post_id)
        .join(Zone, Zone.id == DutyPost.zone_id)
        .where(EmptyPostFinding.at >= start, EmptyPostFinding.at < end)
    )
    if unit_id is not None:
        query = query.where(EmptyPostFinding.unit_id == unit_id)
    return [
        Lapse(
            Rule.empty_post,
            f.unit_id,
            f.at,
            f"岗位「{name}」督查时无人在岗" + (f"：{f.note[:100]}" if f.note else ""),
        )
        for f, name in session.execute(query).all()
    ]


def local_hour(settings: Settings, at: datetime) -> str:
    return at.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M")
