"""Coverage on geometries whose answer is known by hand (metres, in a metric frame)."""

import numpy as np
import pytest
from shapely.geometry import LineString

from app.patrol import Track, covered_lengths, track_pieces

ROAD = LineString([(0, 0), (1000, 0)])  # 1 km of centre-line along the x axis


def track(*xy, dt=5.0) -> Track:
    x, y = (np.array(v, dtype=float) for v in zip(*xy, strict=True))
    return Track(t=np.arange(len(x)) * dt, x=x, y=y, accuracy=np.full(len(x), 5.0))


def pieces(t: Track, gap_m=2000.0, gap_s=120.0):
    return track_pieces(t, np.ones(len(t), dtype=bool), gap_m, gap_s)


def test_walking_half_the_road_covers_half_and_the_buffer_beyond_its_end():
    (c,) = covered_lengths([ROAD], [pieces(track((0, 0), (250, 0), (500, 0)))], buffer_m=30)
    assert c.length_m == 1000
    assert c.covered_m == pytest.approx(530)
    assert c.share == pytest.approx(0.53)


def test_crossing_the_road_covers_twice_the_buffer():
    (c,) = covered_lengths([ROAD], [pieces(track((500, -200), (500, 0), (500, 200)))], buffer_m=30)
    assert c.covered_m == pytest.approx(60)


def test_a_parallel_street_farther_than_the_buffer_covers_nothing():
    (c,) = covered_lengths([ROAD], [pieces(track((0, 40), (1000, 40)))], buffer_m=30)
    assert c.covered_m == 0


def test_a_gap_in_the_track_is_not_counted_as_walked():
    walked = track((0, 0), (100, 0), (900, 0), (1000, 0))
    (c,) = covered_lengths([ROAD], [pieces(walked, gap_m=150)], buffer_m=30)
    assert c.covered_m == pytest.approx(260)
    (whole,) = covered_lengths([ROAD], [pieces(walked, gap_m=1000)], buffer_m=30)
    assert whole.covered_m == pytest.approx(1000)
    (late,) = covered_lengths([ROAD], [pieces(track((0, 0), (1000, 0), dt=600), gap_s=120)], buffer_m=30)
    assert late.covered_m == pytest.approx(60)  # ten minutes for a kilometre: only the two ends are proven


def test_overlapping_tracks_count_once_and_several_segments_are_measured_apart():
    other = LineString([(0, 500), (0, 1500)])
    got = covered_lengths(
        [ROAD, other], [pieces(track((0, 0), (500, 0))), pieces(track((300, 0), (800, 0)))], buffer_m=30
    )
    assert got[0].covered_m == pytest.approx(830)
    assert got[1].covered_m == 0


def test_untrusted_points_are_left_out_and_no_track_covers_nothing():
    t = track((0, 0), (500, 0), (1000, 0))
    only_ends = track_pieces(t, np.array([True, False, True]), 600, 120)
    (c,) = covered_lengths([ROAD], [only_ends], buffer_m=30)
    assert c.covered_m == pytest.approx(60)  # 1000 m between them is beyond the gap: two lone points
    assert covered_lengths([ROAD], [None], buffer_m=30)[0].covered_m == 0


def test_the_exact_capsules_agree_with_a_buffer_polygon_on_random_walks():
    from app.patrol.coverage import covered_lengths_by_buffer

    rng = np.random.default_rng(3)
    roads = [LineString(rng.uniform(0, 2000, (5, 2))) for _ in range(8)]
    for _ in range(5):
        n = 300
        walk = Track(
            t=np.arange(n) * 5.0,
            x=np.cumsum(rng.normal(0, 10, n)) + 1000,
            y=np.cumsum(rng.normal(0, 10, n)) + 1000,
            accuracy=np.full(n, 5.0),
        )
        p = track_pieces(walk, np.ones(n, dtype=bool), 30, 120)  # some steps break: lone points too
        exact = [c.covered_m for c in covered_lengths(roads, [p], 30)]
        polygon = [c.covered_m for c in covered_lengths_by_buffer(roads, [p], 30)]
        # the polygon's flat sides are exact, its round ends cut corners: never more, a few metres less
        for e, b in zip(exact, polygon, strict=True):
            assert b - 1e-6 <= e <= b + 8


def test_distance_counts_the_steps_within_pieces_only():
    from app.patrol import distance_m

    walked = track((0, 0), (100, 0), (900, 0), (1000, 0))
    every = np.ones(4, dtype=bool)
    assert distance_m(walked, every, max_gap_m=150, max_gap_s=120) == pytest.approx(
        200
    )  # the 800 m jump is not walked
    assert distance_m(walked, every, max_gap_m=1000, max_gap_s=120) == pytest.approx(1000)
    assert distance_m(walked, np.array([True, False, False, True]), 2000, 120) == pytest.approx(1000)
    assert (
        distance_m(track((0, 0), (100, 0), dt=600), np.ones(2, dtype=bool), 150, 120) == 0
    )  # a long silence
