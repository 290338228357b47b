"""Zone files: what is accepted, and every kind of bad feature refused with its index, code and reason."""

import pytest
from shapely.geometry import mapping, shape

from app.geo import ZoneFileError, distance_m, parse_zone_file
from app.geo.crs import from_wgs84
from tests.geo.conftest import at, collection, feature, line, rect

GOOD = rect(0, 0, 100, 80)


def problems(data, layer="grid", crs="wgs84") -> str:
    with pytest.raises(ZoneFileError) as e:
        parse_zone_file(data, layer, crs)
    assert e.value.detail.startswith("nothing was imported: ")
    return e.value.detail


def test_polygons_and_multipolygons_are_read_with_their_properties():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [rect(200, 0, 210, 10)["coordinates"], GOOD["coordinates"]],
    }
    out = parse_zone_file(
        collection(
            feature("S1", "cgj", GOOD, name="芙蓉广场", category="park_square"), feature("S2", "zjj", multi)
        ),
        "site",
    )
    assert [(f.index, f.code, f.name, f.unit, f.category, f.width_m) for f in out] == [
        (0, "S1", "芙蓉广场", "cgj", "park_square", None),
        (1, "S2", "S2", "zjj", None, None),  # the name defaults to the code
    ]
    assert out[1].geometry.geom_type == "MultiPolygon"


def test_roads_are_centre_lines_with_a_width_defaulting_to_ten_metres():
    out = parse_zone_file(
        collection(
            feature("R1", "cgj", line((0, 0), (500, 0))),
            feature("R2", "cgj", line((0, 0), (0, 9)), width_m=36),
        ),
        "road",
    )
    assert [f.width_m for f in out] == [10.0, 36.0]
    assert out[0].geometry.geom_type == "LineString"


def test_a_road_may_also_be_drawn_as_an_area():
    (road,) = parse_zone_file(collection(feature("R1", "cgj", GOOD, width_m=20)), "road")
    assert road.width_m is None and road.geometry.geom_type == "Polygon"


def test_third_coordinates_are_dropped_and_integer_codes_accepted():
    ring = [[*p, 45.0] for p in GOOD["coordinates"][0]]
    (f,) = parse_zone_file(
        collection(feature(101, "sq01", {"type": "Polygon", "coordinates": [ring]})), "grid"
    )
    assert f.code == "101" and not f.geometry.has_z


def test_gcj02_coordinates_are_stored_as_wgs84():
    lon, lat = at(50, 40)
    g = from_wgs84(lon, lat, "gcj02")
    d = 0.0002
    ring = [
        [g[0] - d, g[1] - d],
        [g[0] + d, g[1] - d],
        [g[0] + d, g[1] + d],
        [g[0] - d, g[1] + d],
        [g[0] - d, g[1] - d],
    ]
    (f,) = parse_zone_file(
        collection(feature("G1", "sq01", {"type": "Polygon", "coordinates": [ring]})), "grid", "gcj02"
    )
    c = f.geometry.centroid
    assert distance_m(c.x, c.y, lon, lat) < 0.05


def test_a_self_intersecting_polygon_is_named_with_where_it_crosses():
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [list(at(0, 0)), list(at(100, 100)), list(at(100, 0)), list(at(0, 100)), list(at(0, 0))]
        ],
    }
    detail = problems(collection(feature("G1", "sq01", GOOD), feature("G2", "sq01", bowtie)))
    assert "feature 1 (code 'G2'): invalid geometry: self-intersection at [" in detail


def test_an_unclosed_ring_is_refused():
    ring = GOOD["coordinates"][0][:-1]
    detail = problems(collection(feature("G1", "sq01", {"type": "Polygon", "coordinates": [ring]})))
    assert "feature 0 (code 'G1'): outer ring of polygon is not closed" in detail


def test_a_hole_that_is_not_closed_is_named_as_the_hole():
    hole = rect(10, 10, 20, 20)["coordinates"][0][:-1]
    detail = problems(
        collection(feature("G1", "sq01", {"type": "Polygon", "coordinates": [GOOD["coordinates"][0], hole]}))
    )
    assert "hole 1 of polygon is not closed" in detail


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        ([181.0, 28.2], "position [181.0, 28.2] is out of range"),
        ([113.0, -91.0], "position [113.0, -91.0] is out of range"),
        ([28.2, 113.0], "are they swapped?"),
        (["113.0", 28.2], "is not [lon, lat]"),
        ([113.0], "is not [lon, lat]"),
        ([True, 28.2], "is not [lon, lat]"),
        ([float("nan"), 28.2], "is not a finite number pair"),
    ],
)
def test_bad_positions_are_refused(position, expected):
    ring = [position, *GOOD["coordinates"][0][1:-1], position]
    detail = problems(collection(feature("G1", "sq01", {"type": "Polygon", "coordinates": [ring]})))
    assert "feature 0 (code 'G1'): " in detail and expected in detail


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        ({"type": "Polygon", "coordinates": []}, "polygon is empty"),
        ({"type": "Polygon", "coordinates": [[]]}, "outer ring of polygon is empty"),
        ({"type": "MultiPolygon", "coordinates": []}, "MultiPolygon is empty"),
        (None, "the geometry is missing"),
        (
            {"type": "Point", "coordinates": [113.0, 28.2]},
            "geometry type 'Point' is not allowed in layer 'grid'",
        ),
        ({"type": "GeometryCollection", "geometries": []}, "not allowed"),
        (line((0, 0), (10, 0)), "a line is allowed only in the road layer"),
        (
            {
                "type": "Polygon",
                "coordinates": [[list(at(0, 0)), list(at(10, 0)), list(at(20, 0)), list(at(0, 0))]],
            },
            "invalid geometry",
        ),
        (
            {"type": "Polygon", "coordinates": [[list(at(0, 0)), list(at(10, 0)), list(at(0, 0))]]},
            "at least four",
        ),
    ],
)
def test_empty_missing_degenerate_and_wrong_geometries_are_refused(geometry, expected):
    assert expected in problems(collection(feature("G1", "sq01", geometry)))


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        ({"type": "LineString", "coordinates": []}, "line is empty"),
        (
            {"type": "LineString", "coordinates": [list(at(0, 0))]},
            "line needs at least two distinct positions",
        ),
        ({"type": "LineString", "coordinates": [list(at(0, 0)), list(at(0, 0))]}, "at least two distinct"),
    ],
)
def test_degenerate_road_lines_are_refused(geometry, expected):
    assert expected in problems(collection(feature("R1", "cgj", geometry)), "road")


@pytest.mark.parametrize("width", [0, -5, "wide", 501, float("inf"), True])
def test_a_road_width_must_be_positive_metres(width):
    detail = problems(collection(feature("R1", "cgj", line((0, 0), (50, 0)), width_m=width)), "road")
    assert "feature 0 (code 'R1'): width_m must be a number of metres above 0" in detail


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"unit": "sq01"}, "feature 0: property 'code' is required"),
        ({"code": "  ", "unit": "sq01"}, "property 'code' is required"),
        ({"code": "G1"}, "feature 0 (code 'G1'): property 'unit' is required"),
        ({"code": "G1", "unit": ["sq01"]}, "property 'unit' must be a string, not list"),
        ({"code": "x" * 65, "unit": "sq01"}, "property 'code' is longer than 64 characters"),
        ({"code": "G1", "unit": "sq01", "name": "名" * 201}, "property 'name' is longer than 200"),
    ],
)
def test_missing_or_malformed_properties_are_refused(props, expected):
    data = collection({"type": "Feature", "geometry": GOOD, "properties": props})
    assert expected in problems(data)


def test_a_feature_without_properties_or_of_the_wrong_type_is_refused():
    detail = problems(collection({"type": "Feature", "geometry": GOOD}, {"type": "Polygon"}, "text"))
    assert "feature 0: the properties (code, name, unit) are missing" in detail
    assert "feature 1: not a GeoJSON Feature" in detail and "feature 2: not a GeoJSON Feature" in detail


def test_a_duplicate_code_names_both_features():
    detail = problems(
        collection(feature("G1", "sq01", GOOD), feature("G2", "sq01", GOOD), feature("G1", "sq02", GOOD))
    )
    assert "feature 2 (code 'G1'): duplicate code, already used by feature 0" in detail


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"type": "Feature", "geometry": GOOD, "properties": {"code": "G1", "unit": "sq01"}},
        {"type": "FeatureCollection"},
        {"type": "FeatureCollection", "features": {}},
        "FeatureCollection",
    ],
)
def test_anything_but_a_feature_collection_is_refused(data):
    assert "FeatureCollection" in problems(data)


def test_every_problem_is_reported_at_once_and_a_long_list_is_cut():
    bad = [feature(f"G{i}", "sq01", None) for i in range(14)]
    detail = problems(collection(*bad))
    assert "feature 0 (code 'G0')" in detail and "feature 9 (code 'G9')" in detail
    assert "feature 10" not in detail and detail.endswith("; and 4 more")


def test_an_empty_collection_is_nothing_to_import():
    assert parse_zone_file(collection(), "grid") == []


def test_python_tuples_as_shapely_mapping_gives_them_are_read_like_lists():
    data = {"type": "FeatureCollection", "features": (feature("G1", "sq01", mapping(shape(GOOD))),)}
    (f,) = parse_zone_file(data, "grid")
    assert f.geometry.equals(shape(GOOD))


def test_polygons_are_stored_with_rfc7946_winding():
    clockwise = {"type": "Polygon", "coordinates": [GOOD["coordinates"][0][::-1]]}
    (f,) = parse_zone_file(collection(feature("G1", "sq01", clockwise)), "grid")
    assert f.geometry.exterior.is_ccw and f.geometry.equals(shape(GOOD))
