"""Patrol coverage: a day's tracks for the demo district in <= 1 s.

Every unit with road segments has a road chief on a 2-hour patrol, one point every 5 s (1,441 points), riding
its segments one after another (with GPS noise). Measured: the track checks and the coverage of every unit's
segments (app.patrol, as GET /patrols/daily runs them: exact capsules per step), beside the same with a shapely
buffer polygon of each track, against a per-point baseline in the same run: each
centre-line sampled every metre, each track point marking the samples within the buffer of it (numpy over the
samples, a Python loop over the points). Both coverages are printed: they agree within a few per cent (the
baseline counts only near the points themselves, not along the line between them).

    .venv/bin/python -m benchmarks.patrol_coverage
"""

import statistics
import time
from collections import defaultdict

import numpy as np
import shapely
from shapely.geometry import LineString

from app.demo.district import build_district
from app.geo import MetricFrame
from app.patrol import Track, TrackRules, check_track, covered_lengths, track_pieces
from app.patrol.coverage import covered_lengths_by_buffer

HOURS = 2.0
EVERY_S = 5.0
SPEED = 4.0  # m/s: a bicycle
BUFFER_M = 30.0
GAP_M, GAP_S = 150.0, 120.0
TARGET_S = 1.0
START = 1_790_000_000.0


def tracks_for(frame: MetricFrame, segments: dict[str, list[LineString]]) -> dict[str, Track]:
    """One 2-hour track per unit along its segments (metric), noisy like a phone."""
    rng = np.random.default_rng(12)
    n = int(HOURS * 3600 / EVERY_S) + 1
    out = {}
    for unit, lines in segments.items():
        route = LineString([xy for line in lines for xy in line.coords])  # one segment, then on to the next
        along = (np.arange(n) * SPEED * EVERY_S) % route.length
        pts = shapely.line_interpolate_point(route, along)
        x, y = shapely.get_x(pts) + rng.normal(0, 4, n), shapely.get_y(pts) + rng.normal(0, 4, n)
        out[unit] = Track(t=START + np.arange(n) * EVERY_S, x=x, y=y, accuracy=np.full(n, 8.0))
    return out


def fast(tracks: dict[str, Track], segments: dict[str, list[LineString]], measure=covered_lengths) -> float:
    """Checks every track and measures every unit's segments; returns the metres covered."""
    rules = TrackRules()
    total = 0.0
    for unit, track in tracks.items():
        check = check_track(track, START + 3 * 3600, rules)
        pieces = track_pieces(track, check.trusted, GAP_M, GAP_S)
        total += sum(c.covered_m for c in measure(segments[unit], [pieces], BUFFER_M))
    return total


def naive(tracks: dict[str, Track], segments: dict[str, list[LineString]]) -> float:
    """Per point: every metre of the unit's centre-lines within the buffer of it is covered."""
    total = 0.0
    for unit, track in tracks.items():
        samples = [
            shapely.get_coordinates(shapely.line_interpolate_point(line, np.arange(0, line.length, 1.0)))
            for line in segments[unit]
        ]
        sx = np.concatenate([s[:, 0] for s in samples])
        sy = np.concatenate([s[:, 1] for s in samples])
        covered = np.zeros(len(sx), dtype=bool)
        for px, py in zip(track.x.tolist(), track.y.tolist(), strict=True):
            covered |= (sx - px) ** 2 + (sy - py) ** 2 <= BUFFER_M**2
        total += float(covered.sum())
    return total


def main() -> None:
    district = build_district()
    roads = district.layer("road")
    frame = MetricFrame.around(shapely.total_bounds([z.geometry for z in roads]))
    segments: dict[str, list[LineString]] = defaultdict(list)
    for z in roads:
        segments[z.unit].append(frame.to_metric(z.geometry))
    tracks = tracks_for(frame, segments)
    points = sum(len(t) for t in tracks.values())
    length = sum(line.length for lines in segments.values() for line in lines)
    print(f"demo district: {len(roads)} road segments ({length / 1000:.1f} km) of {len(segments)} units;")
    print(f"{len(tracks)} road chiefs x {HOURS:.0f} h, a point every {EVERY_S:.0f} s: {points:,} points")

    runs = []
    for _ in range(5):
        start = time.perf_counter()
        covered = fast(tracks, segments)
        runs.append(time.perf_counter() - start)
    best = statistics.median(runs)
    start = time.perf_counter()
    polygon_covered = fast(tracks, segments, covered_lengths_by_buffer)
    polygon = time.perf_counter() - start
    start = time.perf_counter()
    baseline_covered = naive(tracks, segments)
    baseline = time.perf_counter() - start
    print(
        f"checks + coverage (app.patrol): median {best * 1000:.0f} ms of 5 runs; covered {covered / 1000:.2f} km"
    )
    print(f"the same, buffer polygon:       {polygon * 1000:.0f} ms; covered {polygon_covered / 1000:.2f} km")
    print(
        f"per-point baseline:             {baseline * 1000:.0f} ms; covered {baseline_covered / 1000:.2f} km"
    )
    print(
        f"ratio: {baseline / best:.1f}x faster; target <= {TARGET_S:.0f} s: {'met' if best <= TARGET_S else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
