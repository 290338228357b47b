"""Coverage: the share of each road centre-line within a buffer of the tracks, in metres."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from app.patrol.capsules import covered_by_capsules
from app.patrol.track import Track


@dataclass(frozen=True, slots=True)
class Coverage:
    length_m: float
    covered_m: float

    @property
    def share(self) -> float:
        return self.covered_m / self.length_m if self.length_m > 0 else 0.0


def piece_indices(
    track: Track, points: NDArray[np.bool_], max_gap_m: float, max_gap_s: float
) -> list[NDArray[np.int64]]:
    """The chosen points split into runs, broken where two consecutive ones are too far apart in space or time to
    say the patrol went along the straight line between them: each run's indices into the track, in order."""
    i = np.flatnonzero(points)
    if len(i) == 0:
        return []
    x, y, t = track.x[i], track.y[i], track.t[i]
    breaks = np.flatnonzero((np.hypot(np.diff(x), np.diff(y)) > max_gap_m) | (np.diff(t) > max_gap_s)) + 1
    return np.split(i, breaks)


def track_pieces(
    track: Track, trusted: NDArray[np.bool_], max_gap_m: float, max_gap_s: float
) -> shapely.Geometry | None:
    """The trusted points as lines, broken where the patrol's way between two points is not known
    (piece_indices); a lone point stays a point."""
    runs = piece_indices(track, trusted, max_gap_m, max_gap_s)
    if not runs:
        return None
    parts = []
    for run in runs:
        coords = np.column_stack((track.x[run], track.y[run]))
        parts.append(shapely.linestrings(coords) if len(run) >= 2 else shapely.points(coords[0]))
    return shapely.geometrycollections(parts)


def covered_lengths(
    segments: Sequence[shapely.Geometry], tracks: Sequence[shapely.Geometry | None], buffer_m: float
) -> list[Coverage]:
    """For each metric centre-line, its length and the length of it within buffer_m of any of the tracks
    (exactly: the capsule of each step, see app.patrol.capsules)."""
    lengths, covered = covered_by_capsules(segments, tracks, buffer_m)
    return [Coverage(float(a), float(b)) for a, b in zip(lengths, covered, strict=True)]


def covered_lengths_by_buffer(
    segments: Sequence[shapely.Geometry], tracks: Sequence[shapely.Geometry | None], buffer_m: float
) -> list[Coverage]:
    """The same with a buffer polygon of the tracks (shapely, 4 segments a quarter circle): the plain way,
    kept to check the fast one against."""
    lines = np.asarray(segments, dtype=object)
    lengths = shapely.length(lines) if len(lines) else np.empty(0)
    pieces = [t for t in tracks if t is not None and not t.is_empty]
    if not pieces or not len(lines):
        return [Coverage(float(v), 0.0) for v in lengths]
    reach = shapely.union_all(shapely.buffer(np.asarray(pieces, dtype=object), buffer_m, quad_segs=4))
    covered = shapely.length(shapely.intersection(lines, reach))
    return [Coverage(float(a), min(float(b), float(a))) for a, b in zip(lengths, covered, strict=True)]


def within(track: Track, trusted: NDArray[np.bool_], start_s: float, end_s: float) -> NDArray[np.bool_]:
    """The trusted points timed in [start_s, end_s): a day's part of a patrol that crosses midnight."""
    return trusted & (track.t >= start_s) & (track.t < end_s)


def distance_m(track: Track, points: NDArray[np.bool_], max_gap_m: float, max_gap_s: float) -> float:
    """Metres along the chosen points in order, within each piece: a step across a break (a jump, a long
    silence) is not counted as walked, as it is not counted as covered."""
    total = 0.0
    for run in piece_indices(track, points, max_gap_m, max_gap_s):
        total += float(np.hypot(np.diff(track.x[run]), np.diff(track.y[run])).sum())
    return total
