"""Loading tracks and road segments and measuring them: coverage per segment, distance, the track checks.

The frame is one transverse Mercator frame around the roads measured (app.geo.MetricFrame), so every length
is in metres.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from sqlalchemy import select
from sqlmodel import Session

from app.config import Settings
from app.geo import MetricFrame
from app.models import Unit, Zone
from app.models.patrol import Patrol, PatrolPoint, SegmentCoverage
from app.patrol import (
    Coverage,
    Track,
    TrackCheck,
    TrackRules,
    check_track,
    covered_lengths,
    distance_m,
    piece_indices,
    track_pieces,
    within,
)


@dataclass(frozen=True)
class Segment:
    zone_id: int
    code: str
    name: str
    unit_id: int
    geometry: shapely.Geometry  # WGS-84 centre-line


@dataclass(frozen=True)
class RawTrack:
    """A patrol's points as stored, in the order sent: seconds since the epoch and WGS-84 degrees."""

    t: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    accuracy: np.ndarray
    received: np.ndarray


@dataclass(frozen=True)
class Measured:
    track: Track
    check: TrackCheck


def track_rules(settings: Settings) -> TrackRules:
    return TrackRules(
        max_speed_mps=settings.patrol_max_speed_kmh / 3.6,
        max_accuracy_m=settings.patrol_max_accuracy_m,
        clock_skew_s=settings.clock_skew_s,
    )


def day_window(day: date, timezone: str) -> tuple[datetime, datetime]:
    """The local day as [start, end) instants (a day of 23 or 25 hours where clocks change)."""
    tz = ZoneInfo(timezone)
    return datetime.combine(day, time(0), tz), datetime.combine(day + timedelta(days=1), time(0), tz)


def segments_of(session: Session, unit_ids: Iterable[int] | None = None) -> list[Segment]:
    """Road zones (centre-lines) of these units (every unit's when None), by code."""
    query = select(Zone.id, Zone.code, Zone.name, Zone.unit_id, Zone.geometry).where(Zone.layer == "road")
    if unit_ids is not None:
        query = query.where(Zone.unit_id.in_(list(unit_ids)))
    rows = session.execute(query.order_by(Zone.code)).all()
    geoms = shapely.from_geojson(np.array([r[4] for r in rows], dtype=object)) if rows else []
    return [Segment(r[0], r[1], r[2], r[3], g) for r, g in zip(rows, geoms, strict=True)]


def load_tracks(session: Session, patrol_ids: Iterable[str]) -> dict[str, RawTrack]:
    ids = list(patrol_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(
            PatrolPoint.patrol_id,
            PatrolPoint.t,
            PatrolPoint.lon,
            PatrolPoint.lat,
            PatrolPoint.accuracy_m,
            PatrolPoint.received_at,
        )
        .where(PatrolPoint.patrol_id.in_(ids))
        .order_by(PatrolPoint.patrol_id, PatrolPoint.seq)
    ).all()
    grouped: dict[str, list] = {}
    for r in rows:
        grouped.setdefault(r[0], []).append(r)
    return {
        pid: RawTrack(
            t=np.array([r[1].timestamp() for r in pts]),
            lon=np.array([r[2] for r in pts]),
            lat=np.array([r[3] for r in pts]),
            accuracy=np.array([np.nan if r[4] is None else r[4] for r in pts]),
            received=np.array([r[5].timestamp() for r in pts]),
        )
        for pid, pts in grouped.items()
    }


def frame_for(segments: list[Segment], tracks: dict[str, RawTrack]) -> MetricFrame:
    if segments:
        return MetricFrame.around(shapely.total_bounds([s.geometry for s in segments]))
    lons = np.concatenate([t.lon for t in tracks.values()]) if tracks else np.empty(0)
    lats = np.concatenate([t.lat for t in tracks.values()]) if tracks else np.empty(0)
    return MetricFrame.around((lons.min(), lats.min(), lons.max(), lats.max()) if len(lons) else None)


def check_all(frame: MetricFrame, tracks: dict[str, RawTrack], rules: TrackRules) -> dict[str, Measured]:
    measured = {}
    for pid, raw in tracks.items():
        x, y = frame.forward(raw.lon, raw.lat)
        track = Track(t=raw.t, x=x, y=y, accuracy=raw.accuracy)
        measured[pid] = Measured(track, check_track(track, raw.received, rules))
    return measured


def coverage(
    settings: Settings,
    frame: MetricFrame,
    segments: list[Segment],
    measured: Iterable[Measured],
    window: tuple[datetime, datetime] | None = None,
) -> list[Coverage]:
    """Each segment's coverage by the trusted points of these tracks (those timed within `window` if given)."""
    lo, hi = (window[0].timestamp(), window[1].timestamp()) if window else (-np.inf, np.inf)
    pieces = [
        track_pieces(
            m.track,
            within(m.track, m.check.trusted, lo, hi),
            settings.patrol_max_gap_m,
            settings.patrol_max_gap_s,
        )
        for m in measured
    ]
    lines = frame.to_metric(np.array([s.geometry for s in segments], dtype=object)) if segments else []
    return covered_lengths(list(lines), pieces, settings.patrol_buffer_m)


def walked_m(settings: Settings, m: Measured, window: tuple[float, float] = (-np.inf, np.inf)) -> float:
    """Metres walked along the trusted points (those timed within `window`, as epoch seconds), the track broken
    where coverage breaks it."""
    chosen = within(m.track, m.check.trusted, *window)
    return distance_m(m.track, chosen, settings.patrol_max_gap_m, settings.patrol_max_gap_s)


def trusted_runs(settings: Settings, m: Measured) -> list[np.ndarray]:
    """The trusted points' runs as coverage sees them (indices into the track): the lines a map draws."""
    return piece_indices(m.track, m.check.trusted, settings.patrol_max_gap_m, settings.patrol_max_gap_s)


def segment_rows(
    settings: Settings, segments: list[Segment], covered: list[Coverage]
) -> list[SegmentCoverage]:
    return [
        SegmentCoverage(
            code=s.code,
            name=s.name,
            length_m=round(c.length_m, 1),
            covered_m=round(c.covered_m, 1),
            share=round(c.share, 4),
            patrolled=c.share >= settings.patrol_covered_share,
        )
        for s, c in zip(segments, covered, strict=True)
    ]


def flags_json(check: TrackCheck) -> str:
    return json.dumps(check.counts(), sort_keys=True)


def unit_codes(session: Session) -> dict[int, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in session.execute(select(Unit.id, Unit.code, Unit.name)).all()}


def patrols_touching(
    session: Session, start: datetime, end: datetime, unit_ids: Iterable[int] | None
) -> list[Patrol]:
    """Patrols with a point timed in [start, end) (a patrol started the evening before included)."""
    ids = select(PatrolPoint.patrol_id).where(PatrolPoint.t >= start, PatrolPoint.t < end).distinct()
    query = select(Patrol).where(Patrol.id.in_(ids))
    if unit_ids is not None:
        query = query.where(Patrol.unit_id.in_(list(unit_ids)))
    return list(session.execute(query.order_by(Patrol.started_at)).scalars())
