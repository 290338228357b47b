"""A patrol's track checked point by point: what cannot be real is flagged and left out of its coverage.

Flags, each checked on the points no earlier check has flagged, in this order:
- future: timestamped after the moment it was received (beyond the allowed clock skew);
- out_of_order: not later than a point sent before it;
- imprecise: the phone's own accuracy is worse than max_accuracy_m (not a fake: just unusable);
- jump: a spike, out and back: far from both neighbours, which are close to each other;
- outside_accuracy: farther from the path its neighbours draw (at its time) than its accuracy allows;
- impossible_speed: reached from the point before faster than anyone patrols, even granting both accuracies;
- stationary (the whole track): every trusted point within stationary_m of the track's median point.

A flagged point is left out of coverage. The patrol as a whole is suspect on one point from the future, out of
order or at an impossible speed, or a stationary track; jumps and strays are what a real phone's GPS does now and
then among buildings, so they make it suspect only when more than `stray_share` of its points are such.
"""

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray


class Flag(StrEnum):
    future = "future"
    out_of_order = "out_of_order"
    imprecise = "imprecise"
    jump = "jump"
    outside_accuracy = "outside_accuracy"
    impossible_speed = "impossible_speed"
    stationary = "stationary"


FAKE_FLAGS = frozenset(
    {Flag.future, Flag.out_of_order, Flag.jump, Flag.outside_accuracy, Flag.impossible_speed, Flag.stationary}
)
STRAY_FLAGS = frozenset({Flag.jump, Flag.outside_accuracy})  # a real phone's GPS does these now and then
STRAY_SHARE = 0.05  # more jumps and strays than this share of the points make the track suspect
POINT_FLAGS = (
    Flag.future,
    Flag.out_of_order,
    Flag.imprecise,
    Flag.jump,
    Flag.outside_accuracy,
    Flag.impossible_speed,
)


@dataclass(frozen=True, slots=True)
class TrackRules:
    max_speed_mps: float = 25.0  # 90 km/h
    jump_m: float = 200.0
    accuracy_factor: float = 3.0  # how many times its accuracy a point may stray from its neighbours' path
    min_deviation_m: float = 30.0  # ... and never less than this
    max_accuracy_m: float = 50.0
    stationary_m: float = 30.0
    stationary_min_s: float = 600.0  # a track shorter than this is too short to call stationary
    clock_skew_s: float = 300.0
    default_accuracy_m: float = 10.0  # for a point sent without one
    stray_share: float = STRAY_SHARE


@dataclass(frozen=True, slots=True)
class Track:
    """Points in a metric frame, in the order they were sent: t in seconds (epoch), x/y in metres."""

    t: NDArray[np.float64]
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    accuracy: NDArray[np.float64]  # metres; NaN where the phone gave none

    def __len__(self) -> int:
        return len(self.t)


@dataclass(frozen=True)
class TrackCheck:
    flags: NDArray[np.object_]  # per point: a Flag, or None when trusted
    track_flags: frozenset[Flag] = field(default_factory=frozenset)
    stray_share: float = STRAY_SHARE

    @property
    def trusted(self) -> NDArray[np.bool_]:
        return np.array([f is None for f in self.flags], dtype=bool)

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for f in self.flags:
            if f is not None:
                found[f.value] = found.get(f.value, 0) + 1
        for f in self.track_flags:
            found[f.value] = found.get(f.value, 0) + 1
        return found

    @property
    def suspect(self) -> bool:
        counts = self.counts()
        if any(Flag(k) in FAKE_FLAGS - STRAY_FLAGS for k in counts):
            return True
        strays = sum(counts.get(f.value, 0) for f in STRAY_FLAGS)
        return strays > self.stray_share * len(self.flags)


def _mark(flags: NDArray[np.object_], where: NDArray[np.int64], flag: Flag) -> None:
    for i in where:
        flags[i] = flag


def check_track(
    track: Track, received_s: float | NDArray[np.float64], rules: TrackRules = TrackRules()
) -> TrackCheck:
    """Flags every point that cannot be trusted, and the track when it never left one spot."""
    n = len(track)
    flags = np.full(n, None, dtype=object)
    if n == 0:
        return TrackCheck(flags, stray_share=rules.stray_share)
    acc = np.where(np.isnan(track.accuracy), rules.default_accuracy_m, track.accuracy)
    _mark(flags, np.flatnonzero(track.t > received_s + rules.clock_skew_s), Flag.future)
    running = np.maximum.accumulate(np.concatenate(([-np.inf], track.t[:-1])))
    ordered = track.t > running
    _mark(flags, np.flatnonzero((flags == None) & ~ordered), Flag.out_of_order)  # noqa: E711
    _mark(flags, np.flatnonzero((flags == None) & (acc > rules.max_accuracy_m)), Flag.imprecise)  # noqa: E711

    def alive() -> NDArray[np.int64]:
        return np.flatnonzero(flags == None)  # noqa: E711

    i = alive()
    if len(i) >= 3:
        a, b, c = i[:-2], i[1:-1], i[2:]
        d_ab = np.hypot(track.x[b] - track.x[a], track.y[b] - track.y[a])
        d_bc = np.hypot(track.x[c] - track.x[b], track.y[c] - track.y[b])
        d_ac = np.hypot(track.x[c] - track.x[a], track.y[c] - track.y[a])
        spike = (d_ab > rules.jump_m) & (d_bc > rules.jump_m) & (d_ac < np.minimum(d_ab, d_bc) / 2)
        _mark(flags, b[spike], Flag.jump)
    i = alive()
    if len(i) >= 3:
        a, b, c = i[:-2], i[1:-1], i[2:]
        share = (track.t[b] - track.t[a]) / np.maximum(track.t[c] - track.t[a], 1e-9)
        px = track.x[a] + share * (track.x[c] - track.x[a])
        py = track.y[a] + share * (track.y[c] - track.y[a])
        deviation = np.hypot(track.x[b] - px, track.y[b] - py)
        excess = deviation / np.maximum(rules.accuracy_factor * acc[b], rules.min_deviation_m)
        # only where the neighbours themselves draw a path one could walk, and only the worst point of a
        # stretch (one stray point also pulls its neighbours' paths off)
        d_ac = np.hypot(track.x[c] - track.x[a], track.y[c] - track.y[a])
        walkable = d_ac <= rules.max_speed_mps * np.maximum(track.t[c] - track.t[a], 1e-9)
        padded = np.concatenate(([0.0], deviation, [0.0]))
        worst = (deviation >= padded[:-2]) & (deviation >= padded[2:])
        _mark(flags, b[(excess > 1) & walkable & worst], Flag.outside_accuracy)
    i = alive()
    if len(i) >= 2:
        a, b = i[:-1], i[1:]
        d = np.hypot(track.x[b] - track.x[a], track.y[b] - track.y[a])
        dt = track.t[b] - track.t[a]
        speed = np.maximum(d - acc[a] - acc[b], 0.0) / np.maximum(dt, 1e-9)
        _mark(flags, b[speed > rules.max_speed_mps], Flag.impossible_speed)
    track_flags = set()
    i = alive()
    if len(i) >= 2 and track.t[i[-1]] - track.t[i[0]] >= rules.stationary_min_s:
        cx, cy = np.median(track.x[i]), np.median(track.y[i])
        if np.hypot(track.x[i] - cx, track.y[i] - cy).max() <= rules.stationary_m:
            track_flags.add(Flag.stationary)
    return TrackCheck(flags, frozenset(track_flags), rules.stray_share)
