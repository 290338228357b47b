"""The zone index: containment, overlaps, precedence, snapping in metres, roads as buffers, bulk == single."""

import math

import numpy as np
import pytest
from shapely.geometry import shape

from app.geo import LocateRules, ZoneIndex, ZoneShape, distance_m
from tests.geo.conftest import at, line, rect

UNITS = {"sq01": 1, "sq02": 2, "cgj": 3, "zjj": 4, "sh01": 5, "wy01": 6}


def zone(zone_id, layer, code, unit, geometry, width_m=None) -> ZoneShape:
    return ZoneShape(zone_id, layer, code, f"name {code}", unit, UNITS[unit], shape(geometry), width_m)


@pytest.fixture
def district() -> ZoneIndex:
    """A 400 x 300 m grid cell with a compound, a building in it, an E-W road and a shop frontage beside it."""
    return ZoneIndex(
        [
            zone(1, "grid", "G1", "sq01", rect(0, 0, 400, 300)),
            zone(2, "grid", "G2", "sq02", rect(400, 0, 800, 300)),
            zone(3, "compound", "C1", "wy01", rect(50, 150, 250, 280)),
            zone(4, "building", "C1-B1", "zjj", rect(100, 200, 140, 240)),
            zone(5, "road", "R1", "cgj", line((0, 100), (800, 100)), width_m=20),
            zone(6, "frontage", "F1", "sh01", rect(300, 106, 340, 118)),
            zone(7, "site", "S1", "cgj", rect(20, 20, 380, 280)),  # a big site over most of G1
            zone(8, "site", "S2", "zjj", rect(90, 190, 150, 250)),  # a small site inside it: the smaller wins
        ]
    )


def codes(loc) -> list[tuple[str, str]]:
    return [(m.layer, m.code) for m in loc.matches]


def test_a_point_matches_one_zone_per_layer_most_specific_first(district):
    loc = district.locate(*at(120, 220))
    assert codes(loc) == [("building", "C1-B1"), ("compound", "C1"), ("site", "S2"), ("grid", "G1")]
    assert loc.unit == "zjj" and loc.unit_id == UNITS["zjj"]
    assert all(m.distance_m == 0 for m in loc.matches)
    assert {m.zone_id for m in loc.matches} == {4, 3, 8, 1}


def test_overlapping_zones_of_one_layer_resolve_to_the_smallest(district):
    assert ("site", "S2") in codes(district.locate(*at(100, 200)))
    assert ("site", "S1") in codes(district.locate(*at(60, 60)))


def test_a_frontage_beats_the_road_and_the_grid(district):
    loc = district.locate(*at(320, 108))  # inside the road's 10 m half width and the frontage strip
    assert codes(loc)[:2] == [("frontage", "F1"), ("road", "R1")]
    assert loc.unit == "sh01"


def test_precedence_is_configurable():
    index = ZoneIndex(
        [
            zone(1, "grid", "G1", "sq01", rect(0, 0, 400, 300)),
            zone(2, "site", "S1", "cgj", rect(20, 20, 380, 280)),
        ],
        LocateRules(precedence=("grid", "site")),
    )
    loc = index.locate(*at(100, 100))
    assert codes(loc) == [("grid", "G1"), ("site", "S1")] and loc.unit == "sq01"


def test_a_point_on_a_shared_edge_goes_to_one_zone_deterministically(district):
    loc = district.locate(*at(400, 50))
    grids = [m for m in loc.matches if m.layer == "grid"]
    assert len(grids) == 1 and grids[0].distance_m == 0


def test_a_road_is_matched_as_half_its_width_either_side_in_metres(district):
    assert ("road", "R1") in codes(district.locate(*at(500, 100 + 9.8)))
    assert ("road", "R1") in codes(district.locate(*at(500, 100 - 9.8)))
    assert ("road", "R1") not in codes(district.locate(*at(500, 100 + 10.3)))


@pytest.mark.parametrize("lat", [0.0, 28.2, 60.0])
def test_road_buffers_are_metres_whatever_the_latitude_or_direction(lat):
    """A 10 m road holds a point 4.8 m from its centre and not one 5.2 m away, east-west and north-south."""
    lon = 113.0
    dlat = 1 / 111_000
    dlon = dlat / math.cos(math.radians(lat))
    ew = {"type": "LineString", "coordinates": [[lon - 0.01, lat], [lon + 0.01, lat]]}
    ns = {"type": "LineString", "coordinates": [[lon, lat - 0.01], [lon, lat + 0.01]]}
    for geometry, probe in (
        (ew, lambda m: (lon + 0.003, lat + m * dlat)),
        (ns, lambda m: (lon + m * dlon, lat - 0.003)),
    ):
        index = ZoneIndex([zone(1, "road", "R", "cgj", geometry, width_m=10)], LocateRules(snap_m=0))
        assert distance_m(*probe(4.8), *probe(0)) == pytest.approx(4.8, rel=0.01)
        assert index.locate(*probe(4.8)).unit == "cgj"
        assert index.locate(*probe(5.2)).unit is None


def test_a_point_outside_every_zone_snaps_to_the_nearest_within_tolerance(district):
    loc = district.locate(*at(-12, 50))  # 12 m west of G1 and of the big site
    assert codes(loc) == [("grid", "G1")]
    assert loc.matches[0].distance_m == pytest.approx(12, abs=0.05)
    assert loc.unit == "sq01"


def test_snapping_prefers_the_nearest_whatever_its_layer(district):
    loc = district.locate(
        *at(-15, 100)
    )  # 5 m beyond the road's west end cap? no: 15 m west of G1, road cap 5 m
    assert codes(loc) == [("road", "R1")]
    assert loc.matches[0].distance_m == pytest.approx(5, abs=0.05)


def test_a_point_beyond_the_tolerance_matches_nothing(district):
    loc = district.locate(*at(-40, 50))
    assert loc.matches == [] and loc.unit is None and loc.unit_id is None


def test_gps_accuracy_widens_the_tolerance_up_to_the_cap(district):
    lon, lat = at(-60, 50)
    assert district.locate(lon, lat).matches == []
    assert district.locate(lon, lat, accuracy_m=10).matches == []  # better than snap_m changes nothing
    assert district.locate(lon, lat, accuracy_m=65).matches[0].distance_m == pytest.approx(60, abs=0.1)
    far = at(-150, 50)
    assert district.locate(*far, accuracy_m=500).matches == []  # capped at snap_max_m (100)
    assert district.locate(*at(-95, 50), accuracy_m=500).unit == "sq01"


def test_tolerances_follow_the_rules():
    rules = LocateRules(snap_m=30, snap_max_m=100)
    assert rules.tolerance_m(None) == 30
    assert rules.tolerance_m(12) == 30
    assert rules.tolerance_m(70) == 70
    assert rules.tolerance_m(900) == 100
    assert rules.tolerance_m(float("nan")) == 30
    assert LocateRules(snap_m=0, snap_max_m=0).tolerance_m(50) == 0
    assert list(rules.tolerances_m(np.array([np.nan, 5, 70, 900]), 4)) == [30, 30, 70, 100]


def test_no_snapping_when_the_tolerance_is_zero(district):
    index = ZoneIndex(
        [zone(1, "grid", "G1", "sq01", rect(0, 0, 400, 300))], LocateRules(snap_m=0, snap_max_m=0)
    )
    assert index.locate(*at(-1, 50)).matches == []


def test_an_empty_index_and_unusable_points_match_nothing(district):
    empty = ZoneIndex([])
    assert empty.locate(113.0, 28.2).matches == []
    bulk = empty.locate_many([113.0, 0.0], [28.2, 0.0])
    assert list(bulk.unit_id) == [-1, -1] and (bulk.zone_id == -1).all()
    assert district.locate(float("nan"), 28.2).matches == []
    assert list(district.locate_many([float("nan"), float("inf")], [28.2, 28.2]).unit_id) == [-1, -1]


def test_far_away_points_match_nothing(district):
    assert district.locate(-74.0, 40.7).matches == []
    assert district.locate(179.9, -89.9).matches == []


def test_locate_many_gives_the_same_answers_as_locate(district):
    rng = np.random.default_rng(11)
    xs, ys = rng.uniform(-120, 920, 4000), rng.uniform(-120, 420, 4000)
    lons, lats = np.array([at(x, y) for x, y in zip(xs, ys, strict=True)]).T
    accuracy = rng.choice([np.nan, 5.0, 60.0, 300.0], 4000)
    bulk = district.locate_many(lons, lats, accuracy)
    assert len(bulk) == 4000
    outcomes = set()
    for i in range(4000):
        single = district.locate(lons[i], lats[i], None if np.isnan(accuracy[i]) else accuracy[i])
        assert bulk.location(i) == single, i
        outcomes.add("none" if not single.matches else "snap" if single.matches[0].distance_m else "inside")
        assert bulk.unit_id[i] == (single.unit_id if single.unit_id is not None else -1)
    assert outcomes == {"none", "snap", "inside"}


def test_locate_many_reports_zone_ids_per_layer(district):
    bulk = district.locate_many(*np.array([at(120, 220), at(-12, 50), at(-500, 0)]).T)
    layers = list(bulk.index.layers)
    assert layers[:6] == ["frontage", "building", "compound", "road", "site", "grid"]
    ids = bulk.zone_id
    assert ids[0, layers.index("building")] == 4 and ids[0, layers.index("grid")] == 1
    assert ids[1, layers.index("grid")] == 1 and bulk.distance_m[1, layers.index("grid")] == pytest.approx(
        12, abs=0.05
    )
    assert (ids[2] == -1).all() and np.isnan(bulk.distance_m[2]).all()
    assert list(bulk.unit_id) == [UNITS["zjj"], UNITS["sq01"], -1]


def test_locate_many_is_chunked_without_changing_answers(district, monkeypatch):
    import app.geo.index as index_module

    monkeypatch.setattr(index_module, "CHUNK", 7)
    lons, lats = np.array([at(x, 220) for x in range(0, 800, 10)]).T
    bulk = district.locate_many(lons, lats)
    for i in range(len(lons)):
        assert bulk.location(i) == district.locate(lons[i], lats[i])


def test_locate_many_refuses_arrays_of_different_lengths(district):
    with pytest.raises(ValueError):
        district.locate_many([113.0, 113.1], [28.2])


def test_distance_m_is_geodesic_metres():
    assert distance_m(113.0, 28.2, 113.0, 28.2) == 0
    assert distance_m(0, 0, 0, 1) == pytest.approx(110_574.4, abs=1)  # a degree of latitude at the equator
    assert distance_m(0, 0, 1, 0) == pytest.approx(111_319.5, abs=1)  # of longitude
    assert distance_m(116.4074, 39.9042, 121.4737, 31.2304) == pytest.approx(
        1_067_000, rel=0.005
    )  # Beijing-Shanghai
    assert distance_m(*at(0, 0), *at(30, 40)) == pytest.approx(50, abs=0.01)


def test_a_road_stored_without_a_width_counts_as_ten_metres_wide():
    index = ZoneIndex([zone(1, "road", "R", "cgj", line((0, 0), (500, 0)))], LocateRules(snap_m=0))
    assert index.locate(*at(250, 4.8)).unit == "cgj"
    assert index.locate(*at(250, 5.3)).unit is None
