"""Each kind of faked or broken track is flagged, and a real walk is not."""

import numpy as np

from app.patrol import Flag, Track, TrackRules, check_track

NOW = 1_800_000_000.0
RULES = TrackRules()


def walk(n=120, step_m=7.0, dt=5.0, start=NOW - 3600) -> Track:
    """A walk east at 1.4 m/s, with a gentle wobble."""
    i = np.arange(n, dtype=float)
    return Track(t=start + i * dt, x=i * step_m, y=3 * np.sin(i / 5), accuracy=np.full(n, 8.0))


def with_point(track: Track, k: int, **changes) -> Track:
    arrays = {name: getattr(track, name).copy() for name in ("t", "x", "y", "accuracy")}
    for name, value in changes.items():
        arrays[name][k] = value
    return Track(**arrays)


def flags_of(t: Track):
    check = check_track(t, NOW, RULES)
    return {i: f for i, f in enumerate(check.flags) if f is not None}, check


def test_a_real_walk_is_trusted():
    flags, check = flags_of(walk())
    assert flags == {} and not check.suspect and check.track_flags == frozenset()


def test_a_timestamp_in_the_future_is_flagged():
    t = walk(start=NOW - 100)  # its last points lie 9 minutes ahead of the server's clock
    flags, check = flags_of(t)
    assert set(flags.values()) == {Flag.future}
    assert min(flags) == int((RULES.clock_skew_s + 100) // 5) + 1
    assert check.suspect


def test_out_of_order_timestamps_are_flagged():
    t = with_point(walk(), 50, t=NOW - 3600 + 10)
    flags, _ = flags_of(t)
    assert flags == {50: Flag.out_of_order}


def test_a_jump_out_and_back_is_flagged():
    t = with_point(walk(), 40, y=900.0)
    flags, _ = flags_of(t)
    assert flags == {40: Flag.jump}


def test_a_point_far_outside_its_accuracy_is_flagged_but_not_one_within_it():
    t = with_point(walk(), 60, y=80.0)  # 80 m off the path, claiming 8 m
    assert flags_of(t)[0] == {60: Flag.outside_accuracy}
    honest = with_point(t, 60, accuracy=40.0)  # the same place, owning up to 40 m: within 3 x 40
    assert flags_of(honest)[0] == {}


def test_an_impossible_speed_is_flagged():
    t = walk()
    t.x[80:] += 5000  # five kilometres in five seconds, then walking on from there
    flags, check = flags_of(t)
    assert flags == {80: Flag.impossible_speed} and check.suspect


def test_imprecise_points_are_left_out_without_calling_the_track_fake():
    t = with_point(walk(), 30, accuracy=500.0)
    flags, check = flags_of(t)
    assert flags == {30: Flag.imprecise} and not check.suspect


def test_a_phone_left_on_a_desk_is_stationary():
    rng = np.random.default_rng(1)
    n = 240  # twenty minutes
    t = Track(
        t=NOW - 3600 + np.arange(n) * 5.0,
        x=rng.normal(0, 4, n),
        y=rng.normal(0, 4, n),
        accuracy=np.full(n, 10.0),
    )
    _, check = flags_of(t)
    assert check.track_flags == {Flag.stationary} and check.suspect
    short = Track(t=t.t[:20], x=t.x[:20], y=t.y[:20], accuracy=t.accuracy[:20])
    assert check_track(short, NOW, RULES).track_flags == frozenset()  # under ten minutes: no verdict


def test_a_stray_point_now_and_then_is_left_out_but_many_make_the_track_suspect():
    one = with_point(walk(), 60, y=80.0)  # GPS among buildings: one stray in 120
    flags, check = flags_of(one)
    assert flags == {60: Flag.outside_accuracy} and not check.suspect
    many = walk()
    for k in range(10, 110, 14):  # 8 strays in 120 points: over 5 %
        many = with_point(many, k, y=80.0)
    flags, check = flags_of(many)
    assert len(flags) == 8 and set(flags.values()) == {Flag.outside_accuracy}
    assert check.suspect
