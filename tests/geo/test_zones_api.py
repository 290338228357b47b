"""The zones API as its users meet it: an admin imports layers, a grid worker locates a point from a phone."""

import pytest
from sqlalchemy import update
from sqlmodel import select

from app import deps
from app.config import get_settings
from app.demo.seed import seed_demo
from app.geo import distance_m
from app.geo.crs import from_wgs84
from app.models import Role, Zone, ZoneRevision
from tests.geo.conftest import at, collection, feature, line, rect

GRIDS = collection(
    feature("G01", "sq01", rect(0, 0, 400, 300), name="第1网格"),
    feature("G02", "sq02", rect(400, 0, 800, 300), name="第2网格"),
)
ROADS = collection(feature("R001", "cgj", line((0, 100), (800, 100)), name="人民路1段", width_m=20))


def locate(client, user, lon, lat, **params):
    return client.get("/api/v1/locate", params={"lon": lon, "lat": lat, **params}, headers=user["headers"])


def zones_in(session, layer):
    return {z.code: z for z in session.exec(select(Zone).where(Zone.layer == layer))}


def revision(session):
    session.expire_all()
    return session.get(ZoneRevision, 1).version


def test_admin_imports_a_layer_and_a_grid_worker_locates_a_gcj02_point(
    client, units, grid_worker, import_layer
):
    assert import_layer("grid", GRIDS).json() == {"created": 2, "updated": 0}
    assert import_layer("road", ROADS).json() == {"created": 1, "updated": 0}
    wgs = at(200, 105)  # in grid G01, on the road
    gcj = from_wgs84(*wgs, "gcj02")  # what AMap on the phone reports
    r = locate(client, grid_worker, *gcj, crs="gcj02")
    assert r.status_code == 200, r.text
    body = r.json()
    assert distance_m(body["lon"], body["lat"], *wgs) < 0.01  # echoed back in WGS-84
    assert body["matches"] == [
        {"layer": "road", "code": "R001", "name": "人民路1段", "unit": "cgj", "distance_m": 0.0},
        {"layer": "grid", "code": "G01", "name": "第1网格", "unit": "sq01", "distance_m": 0.0},
    ]
    assert body["unit"] == "cgj"  # road beats grid by default
    wrong = locate(client, grid_worker, *gcj).json()  # the same numbers taken as WGS-84 land elsewhere
    assert wrong["matches"] != body["matches"]


def test_a_bd09_point_is_converted_too(client, units, grid_worker, import_layer):
    import_layer("grid", GRIDS)
    body = locate(client, grid_worker, *from_wgs84(*at(600, 50), "bd09"), crs="bd09").json()
    assert [m["code"] for m in body["matches"]] == ["G02"] and body["unit"] == "sq02"


def test_reimport_updates_by_code_and_locate_sees_it_at_once(
    client, session, units, grid_worker, import_layer
):
    import_layer("grid", GRIDS)
    assert locate(client, grid_worker, *at(200, 150)).json()["unit"] == "sq01"
    before = revision(session)
    moved = collection(
        feature("G01", "wy01", rect(0, 0, 400, 300), name="第1网格(新)"),  # same code: new unit, new name
        feature("G03", "sq02", rect(800, 0, 1200, 300)),
    )
    assert import_layer("grid", moved).json() == {"created": 1, "updated": 1}
    assert revision(session) == before + 1
    grids = zones_in(session, "grid")
    assert set(grids) == {"G01", "G02", "G03"}  # a code absent from the file is kept
    assert grids["G01"].name == "第1网格(新)"
    body = locate(client, grid_worker, *at(200, 150)).json()
    assert body["unit"] == "wy01" and body["matches"][0]["name"] == "第1网格(新)"
    assert locate(client, grid_worker, *at(1000, 150)).json()["unit"] == "sq02"


def test_a_bad_file_changes_nothing(client, session, units, grid_worker, import_layer):
    import_layer("grid", GRIDS)
    before = (revision(session), {c: (z.name, z.geometry) for c, z in zones_in(session, "grid").items()})
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [list(at(0, 0)), list(at(100, 100)), list(at(100, 0)), list(at(0, 100)), list(at(0, 0))]
        ],
    }
    bad = collection(
        feature("G01", "sq02", rect(0, 0, 10, 10), name="changed"),
        feature("G04", "sq01", rect(900, 0, 950, 50)),
        feature("G05", "sq01", bowtie),
    )
    r = import_layer("grid", bad)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("nothing was imported: feature 2 (code 'G05'): invalid geometry")
    after = (revision(session), {c: (z.name, z.geometry) for c, z in zones_in(session, "grid").items()})
    assert after == before
    assert locate(client, grid_worker, *at(200, 150)).json()["unit"] == "sq01"


def test_an_unknown_or_deactivated_unit_rejects_the_whole_import(client, session, units, import_layer):
    units["wy01"].active = False
    session.add(units["wy01"])
    session.commit()
    data = collection(
        feature("G01", "sq01", rect(0, 0, 10, 10)),
        feature("G02", "nobody", rect(20, 0, 30, 10)),
        feature("G03", "wy01", rect(40, 0, 50, 10)),
    )
    r = import_layer("grid", data)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert "feature 1 (code 'G02'): unit 'nobody' is not a known unit" in detail
    assert "feature 2 (code 'G03'): unit 'wy01' is deactivated" in detail
    assert zones_in(session, "grid") == {}
    assert revision(session) == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            collection(feature("G1", "sq01", rect(0, 0, 10, 10)), feature("G1", "sq02", rect(20, 0, 30, 10))),
            "duplicate code",
        ),
        ({"type": "Feature"}, "FeatureCollection"),
        ([1, 2], "FeatureCollection"),
        (
            collection(
                feature(
                    "G1",
                    "sq01",
                    {"type": "Polygon", "coordinates": [[[113, 28], [113.1, 28], [113.1, 28.1]]]},
                )
            ),
            "not closed",
        ),
        (
            collection(
                feature(
                    "G1",
                    "sq01",
                    {"type": "Polygon", "coordinates": [[[200, 28], [113.1, 28], [113.1, 28.1], [200, 28]]]},
                )
            ),
            "out of range",
        ),
        (collection(feature("G1", "sq01", {"type": "Polygon", "coordinates": []})), "empty"),
    ],
)
def test_bad_files_are_422_naming_the_feature_and_reason(
    client, session, units, import_layer, data, expected
):
    r = import_layer("grid", data)
    assert r.status_code == 422 and expected in r.json()["detail"]
    assert zones_in(session, "grid") == {}


def test_a_body_that_is_not_json_is_422(client, admin, units):
    r = client.post(
        "/api/v1/zones/import",
        params={"layer": "grid"},
        content=b"{not json",
        headers=admin["headers"] | {"Content-Type": "application/json"},
    )
    assert r.status_code == 422


def test_an_unknown_layer_or_crs_is_422(client, units, import_layer, grid_worker):
    r = import_layer("parks", GRIDS)
    assert r.status_code == 422 and "layer" in r.json()["detail"]
    r = import_layer("grid", GRIDS, crs="epsg:3857")
    assert r.status_code == 422 and "crs" in r.json()["detail"]
    r = client.get("/api/v1/zones", params={"layer": "parks"}, headers=grid_worker["headers"])
    assert r.status_code == 422


def test_only_an_admin_may_import(client, units, make_user, grid_worker):
    office = make_user("wang", Role.office, units["cgj"])
    for user in (office, grid_worker):
        r = client.post("/api/v1/zones/import", params={"layer": "grid"}, json=GRIDS, headers=user["headers"])
        assert r.status_code == 403
    assert client.post("/api/v1/zones/import", params={"layer": "grid"}, json=GRIDS).status_code == 401


def test_zones_are_exported_as_geojson_that_imports_again(client, units, grid_worker, import_layer):
    import_layer("grid", GRIDS)
    import_layer("road", ROADS)
    r = client.get("/api/v1/zones", params={"layer": "road"}, headers=grid_worker["headers"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    (road,) = fc["features"]
    assert road["properties"] == {
        "layer": "road",
        "code": "R001",
        "name": "人民路1段",
        "unit": "cgj",
        "unit_name": "单位cgj",
        "category": None,
        "width_m": 20.0,
    }
    assert road["geometry"]["type"] == "LineString"
    assert (
        road["geometry"]["coordinates"] == ROADS["features"][0]["geometry"]["coordinates"]
    )  # stored exactly
    every = client.get("/api/v1/zones", headers=grid_worker["headers"]).json()
    assert sorted(f["properties"]["code"] for f in every["features"]) == ["G01", "G02", "R001"]
    assert import_layer("road", fc).json() == {"created": 0, "updated": 1}


def test_zones_can_be_exported_in_gcj02_for_a_chinese_basemap(client, units, grid_worker, import_layer):
    import_layer("grid", GRIDS)
    wgs = client.get("/api/v1/zones", params={"layer": "grid"}, headers=grid_worker["headers"]).json()
    gcj = client.get(
        "/api/v1/zones", params={"layer": "grid", "crs": "gcj02"}, headers=grid_worker["headers"]
    ).json()
    p, q = (
        wgs["features"][0]["geometry"]["coordinates"][0][0],
        gcj["features"][0]["geometry"]["coordinates"][0][0],
    )
    assert q == pytest.approx(list(from_wgs84(*p, "gcj02")))


def test_reading_zones_needs_a_signed_in_user(client):
    assert client.get("/api/v1/zones").status_code == 401
    assert client.get("/api/v1/locate", params={"lat": 28.2, "lon": 113.0}).status_code == 401


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lat": 91, "lon": 113}, "lat: Input should be less than or equal to 90"),
        ({"lat": -90.5, "lon": 113}, "lat: Input should be greater than or equal to -90"),
        ({"lat": 28.2, "lon": 180.01}, "lon: Input should be less than or equal to 180"),
        ({"lat": "28,2", "lon": 113}, "lat: Input should be a valid number"),
        ({"lat": "nan", "lon": 113}, "lat: Input should be a finite number"),
        ({"lat": 28.2, "lon": "inf"}, "lon: Input should be a finite number"),
        ({"lon": 113}, "lat: Field required"),
        (
            {"lat": 28.2, "lon": 113, "accuracy_m": -3},
            "accuracy_m: Input should be greater than or equal to 0",
        ),
        ({"lat": 28.2, "lon": 113, "crs": "wgs-84"}, "crs: Input should be 'wgs84', 'gcj02' or 'bd09'"),
    ],
)
def test_bad_coordinates_are_422_with_a_clear_detail(client, grid_worker, params, expected):
    r = client.get("/api/v1/locate", params=params, headers=grid_worker["headers"])
    assert r.status_code == 422
    assert expected in r.json()["detail"]


def test_a_point_just_outside_snaps_and_a_poor_fix_snaps_farther(client, units, grid_worker, import_layer):
    import_layer("grid", GRIDS)
    body = locate(client, grid_worker, *at(-20, 150)).json()
    assert body["unit"] == "sq01" and body["matches"][0]["distance_m"] == pytest.approx(20, abs=0.1)
    assert locate(client, grid_worker, *at(-60, 150)).json() == {
        **locate(client, grid_worker, *at(-60, 150)).json(),
        "matches": [],
        "unit": None,
    }
    wide = locate(client, grid_worker, *at(-60, 150), accuracy_m=80).json()
    assert wide["unit"] == "sq01" and wide["matches"][0]["distance_m"] == pytest.approx(60, abs=0.1)


def test_the_demo_district_puts_a_shop_front_problem_on_the_shop(client, session, settings, make_user):
    seed_demo(session, settings)
    grid_worker = make_user("worker", Role.grid_worker)
    frontage = session.exec(select(Zone).where(Zone.layer == "frontage", Zone.code == "F001")).one()
    lon, lat = (frontage.min_lon + frontage.max_lon) / 2, (frontage.min_lat + frontage.max_lat) / 2
    body = locate(client, grid_worker, lon, lat).json()
    layers = [m["layer"] for m in body["matches"]]
    assert layers[0] == "frontage" and "grid" in layers
    assert body["unit"] == body["matches"][0]["unit"] and body["unit"].startswith("sh")


def test_locate_trusts_its_index_for_zone_check_s_but_sees_this_process_changes_at_once(
    client, session, units, grid_worker, import_layer, monkeypatch
):
    monkeypatch.setenv("XUNCHA_ZONE_CHECK_S", "3600")
    get_settings.cache_clear()
    import_layer("grid", GRIDS)
    assert locate(client, grid_worker, *at(200, 150)).json()["unit"] == "sq01"
    # another process's change (a bare revision bump here) waits for the next check ...
    session.exec(update(Zone).where(Zone.code == "G01").values(unit_id=units["cgj"].id))
    session.exec(update(ZoneRevision).values(version=ZoneRevision.version + 1))
    session.commit()
    assert locate(client, grid_worker, *at(200, 150)).json()["unit"] == "sq01"
    # ... while a change made through this process is seen at once
    import_layer("grid", collection(feature("G02", "zjj", rect(400, 0, 800, 300))))
    assert locate(client, grid_worker, *at(200, 150)).json()["unit"] == "cgj"
    assert locate(client, grid_worker, *at(600, 150)).json()["unit"] == "zjj"


def test_locate_refuses_a_bad_token_and_a_deactivated_user(client, session, units, make_user, monkeypatch):
    assert locate(client, {"headers": {"Authorization": "Bearer forged"}}, 113.0, 28.2).status_code == 401
    gone = make_user("gone", Role.grid_worker, units["sq01"], active=False)
    r = locate(client, gone, 113.0, 28.2)
    assert r.status_code == 401 and r.json()["detail"] == "this account is deactivated"


def test_locate_reuses_a_recent_sign_in_for_a_few_seconds_only(
    client, session, units, grid_worker, monkeypatch
):
    assert locate(client, grid_worker, 113.0, 28.2).status_code == 200
    grid_worker["user"].active = False
    session.add(grid_worker["user"])
    session.commit()
    assert locate(client, grid_worker, 113.0, 28.2).status_code == 200  # within AUTH_REUSE_S
    monkeypatch.setattr(deps, "AUTH_REUSE_S", 0.0)
    deps._recent_users.clear()
    assert locate(client, grid_worker, 113.0, 28.2).status_code == 401
