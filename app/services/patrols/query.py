"""Reading patrols: one, a list, a unit's day (segments due, patrolled, coverage, distance, issues), and the
road segments nobody patrolled for days."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, false, func, select, true
from sqlmodel import Session, col

from app.config import Settings
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.models import Role, Unit, User, Zone
from app.models.base import utcnow
from app.models.patrol import (
    Patrol,
    PatrolPublic,
    PatrolSummary,
    RoadCoverage,
    UnitPatrolDay,
    UnpatrolledSegment,
)
from app.services.calendar import work_calendar
from app.services.patrols.issues import issues_during
from app.services.patrols.lifecycle import render_patrol
from app.services.patrols.measure import (
    check_all,
    coverage,
    day_window,
    frame_for,
    load_tracks,
    patrols_touching,
    segment_rows,
    segments_of,
    track_rules,
    trusted_runs,
    unit_codes,
    walked_m,
)

MAX_SCAN_DAYS = 366


def _visible(user: User) -> ColumnElement[bool]:
    if user.role in (Role.office, Role.admin):
        return true()
    if user.role in (Role.unit, Role.road_chief) and user.unit_id is not None:
        return col(Patrol.unit_id) == user.unit_id
    return false()


def _may_read(user: User) -> None:
    if user.role not in (Role.office, Role.admin, Role.unit, Role.road_chief):
        raise PermissionDenied(f"patrols are read by the office, units and road chiefs; you are {user.role}")


def _patrol(session: Session, user: User, patrol_id: str) -> Patrol:
    patrol = session.execute(
        select(Patrol).where(Patrol.id == patrol_id, _visible(user))
    ).scalar_one_or_none()
    if patrol is None:
        raise NotFound(f"no patrol {patrol_id}")
    return patrol


def get_patrol(session: Session, settings: Settings, user: User, patrol_id: str) -> PatrolPublic:
    return render_patrol(session, settings, _patrol(session, user, patrol_id), utcnow())


def patrol_track(session: Session, settings: Settings, user: User, patrol_id: str) -> dict[str, Any]:
    """A patrol's track as a GeoJSON FeatureCollection in WGS-84: the trusted points in the order sent, as the
    runs coverage measures (a MultiLineString, `kind: trusted`; a jump or a long silence breaks it), and each
    point left out as a Point with its `flag` and time (`kind: flagged`)."""
    patrol = _patrol(session, user, patrol_id)
    tracks = load_tracks(session, [patrol.id])
    features: list[dict[str, Any]] = []
    raw = tracks.get(patrol.id)
    if raw is not None:
        frame = frame_for(segments_of(session, [patrol.unit_id]), tracks)
        measured = check_all(frame, tracks, track_rules(settings))[patrol.id]
        check = measured.check
        runs = [run for run in trusted_runs(settings, measured) if len(run) >= 2]
        if runs:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "MultiLineString",
                        "coordinates": [
                            [[float(raw.lon[k]), float(raw.lat[k])] for k in run] for run in runs
                        ],
                    },
                    "properties": {"kind": "trusted", "points": int(check.trusted.sum())},
                }
            )
        for lon, lat, t, flag in zip(raw.lon, raw.lat, raw.t, check.flags, strict=True):
            if flag is not None:
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                        "properties": {
                            "kind": "flagged",
                            "flag": flag.value,
                            "t": datetime.fromtimestamp(float(t), UTC).isoformat(),
                        },
                    }
                )
    return {"type": "FeatureCollection", "features": features}


def list_patrols(
    session: Session, settings: Settings, user: User, day: date | None, unit: str | None, limit: int = 100
) -> list[PatrolSummary]:
    """Newest first; with `date`, the patrols with a point on that local day."""
    _may_read(user)
    query = (
        select(Patrol, User.username, Unit.code)
        .join(User, User.id == Patrol.user_id)
        .join(Unit, Unit.id == Patrol.unit_id)
        .where(_visible(user))
    )
    if unit:
        query = query.where(Unit.code == unit)
    if day:
        touching = patrols_touching(session, *day_window(day, settings.timezone), None)
        query = query.where(Patrol.id.in_([p.id for p in touching]))
    rows = session.execute(query.order_by(Patrol.started_at.desc()).limit(limit)).all()
    return [
        PatrolSummary(
            id=p.id,
            user=username,
            unit=code,
            status="ended" if p.ended_at else "active",
            started_at=p.started_at,
            ended_at=p.ended_at,
            points=p.point_count,
            distance_m=p.distance_m,
            suspect=p.suspect,
        )
        for p, username, code in rows
    ]


def _units_for(session: Session, user: User, unit: str | None) -> list[int] | None:
    """Which units' figures this user may have: the office any (None: every unit with roads), others their own."""
    if user.role in (Role.office, Role.admin):
        if unit is None:
            return None
        row = session.execute(select(Unit.id).where(Unit.code == unit)).scalar_one_or_none()
        if row is None:
            raise InvalidInput(f"unit: no unit {unit!r}")
        return [row]
    _may_read(user)
    own = session.get(Unit, user.unit_id) if user.unit_id else None
    if own is None or (unit and unit != own.code):
        raise PermissionDenied("a unit reads only its own patrols")
    return [own.id] if own.id is not None else []


def local_today(settings: Settings, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(settings.timezone)).date()


def daily(
    session: Session, settings: Settings, user: User, day: date | None = None, unit: str | None = None
) -> list[UnitPatrolDay]:
    """Per unit with road segments, that local day: segments due and patrolled, coverage, distance, issues."""
    today = local_today(settings)
    day = day or today
    if day > today:
        raise InvalidInput("date: a day that has not come yet has no patrols")
    unit_ids = _units_for(session, user, unit)
    return unit_days(session, settings, day, unit_ids)


def unit_days(
    session: Session, settings: Settings, day: date, unit_ids: list[int] | None
) -> list[UnitPatrolDay]:
    window = day_window(day, settings.timezone)
    segments = segments_of(session, unit_ids)
    by_unit: dict[int, list] = defaultdict(list)
    for s in segments:
        by_unit[s.unit_id].append(s)
    for u in unit_ids or []:
        by_unit.setdefault(u, [])
    patrols = patrols_touching(session, *window, list(by_unit))
    tracks = load_tracks(session, [p.id for p in patrols])
    frame = frame_for(segments, tracks)
    measured = check_all(frame, tracks, track_rules(settings))
    patrols_of: dict[int, list[Patrol]] = defaultdict(list)
    for p in patrols:
        patrols_of[p.unit_id].append(p)
    due = settings.patrol_every_day or work_calendar(session, settings).is_workday(day)
    found = issues_during(session, patrols, *window, utcnow())
    names = unit_codes(session)
    lo, hi = window[0].timestamp(), window[1].timestamp()
    result = []
    for unit_id in sorted(by_unit, key=lambda u: names[u][0]):
        segs = by_unit[unit_id]
        mine = [measured[p.id] for p in patrols_of[unit_id] if p.id in measured]
        rows = segment_rows(settings, segs, coverage(settings, frame, segs, mine, window))
        issues = [i for p in patrols_of[unit_id] for i in found.get(p.id, [])]
        result.append(
            UnitPatrolDay(
                unit=names[unit_id][0],
                name=names[unit_id][1],
                date=day,
                due=due,
                segments=len(segs),
                segments_due=len(segs) if due else 0,
                segments_patrolled=sum(r.patrolled for r in rows),
                coverage=round(sum(r.share for r in rows) / len(rows), 4) if rows else None,
                distance_m=round(sum(walked_m(settings, m, (lo, hi)) for m in mine), 1),
                patrols=len(patrols_of[unit_id]),
                suspect_patrols=sum(p.suspect for p in patrols_of[unit_id]),
                issues_found=len(issues),
                fixed_on_site=sum(i.fixed_on_site for i in issues),
                by_segment=rows,
            )
        )
    return result


def unpatrolled(
    session: Session, settings: Settings, user: User, days: int | None = None, unit: str | None = None
) -> list[UnpatrolledSegment]:
    """Road segments not patrolled (covered to XUNCHA_PATROL_COVERED_SHARE on a day) for `days` due days
    (XUNCHA_PATROL_UNPATROLLED_DAYS), never-patrolled ones first, then the longest neglected."""
    if user.role not in (Role.office, Role.admin):
        raise PermissionDenied(f"the list of unpatrolled roads is the office's; you are {user.role}")
    days = settings.patrol_unpatrolled_days if days is None else days
    last = (
        select(RoadCoverage.zone_id, func.max(RoadCoverage.day).label("day"))
        .where(RoadCoverage.share >= settings.patrol_covered_share)
        .group_by(RoadCoverage.zone_id)
        .subquery()
    )
    query = (
        select(Zone.code, Zone.name, Unit.code, Unit.name, last.c.day)
        .join(Unit, Unit.id == Zone.unit_id)
        .outerjoin(last, last.c.zone_id == Zone.id)
        .where(Zone.layer == "road")
    )
    if unit:
        query = query.where(Unit.code == unit)
    today = local_today(settings)
    calendar = work_calendar(session, settings)

    def due_days_since(day: date) -> int:
        n, d = 0, day + timedelta(days=1)
        while d <= today and n <= MAX_SCAN_DAYS:
            n += settings.patrol_every_day or calendar.is_workday(d)
            d += timedelta(days=1)
        return n

    listed = []
    for code, name, unit_code, unit_name, day in session.execute(query).all():
        since = due_days_since(day) if day else None
        if since is None or since >= days:
            listed.append(
                UnpatrolledSegment(
                    code=code, name=name, unit=unit_code, unit_name=unit_name, last_patrolled=day, days=since
                )
            )
    listed.sort(key=lambda s: (s.days is not None, -(s.days or 0), s.code))
    return listed
