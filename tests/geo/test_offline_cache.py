"""What the phone caches to locate offline: zones (with their unit's name) and categories, by strong ETag."""

import pytest

from app.config import Settings, get_settings
from tests.geo.conftest import collection, feature, rect

GRIDS = collection(feature("G01", "sq01", rect(0, 0, 400, 300), name="第1网格"))
SITES = collection(feature("S01", "cgj", rect(10, 10, 50, 50), name="人民广场", category="square"))


def test_zone_features_name_their_unit_and_every_layer_comes_without_layer(
    client, units, grid_worker, import_layer, admin
):
    import_layer("grid", GRIDS)
    import_layer("site", SITES)
    r = client.get("/api/v1/zones", headers=grid_worker["headers"])
    assert r.status_code == 200
    props = {f["properties"]["code"]: f["properties"] for f in r.json()["features"]}
    assert set(props) == {"G01", "S01"}
    assert props["G01"]["unit"] == "sq01" and props["G01"]["unit_name"] == "单位sq01"
    assert props["S01"]["layer"] == "site" and props["S01"]["unit_name"] == "单位cgj"


def test_zones_answer_304_until_a_zone_or_a_unit_name_changes(
    client, units, grid_worker, import_layer, admin
):
    import_layer("grid", GRIDS)
    h = grid_worker["headers"]
    first = client.get("/api/v1/zones", headers=h)
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["cache-control"] == "private, no-cache"
    again = client.get("/api/v1/zones", headers={**h, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/api/v1/zones?layer=site", headers={**h, "If-None-Match": etag}).status_code == 200
    client.patch("/api/v1/units/sq01", json={"name": "东风社区"}, headers=admin["headers"])
    renamed = client.get("/api/v1/zones", headers={**h, "If-None-Match": etag})
    assert renamed.status_code == 200 and renamed.headers["etag"] != etag
    assert renamed.json()["features"][0]["properties"]["unit_name"] == "东风社区"
    import_layer("site", SITES)
    assert (
        client.get("/api/v1/zones", headers={**h, "If-None-Match": renamed.headers["etag"]}).status_code
        == 200
    )


def test_categories_answer_304_on_their_etag(client, grid_worker):
    h = grid_worker["headers"]
    first = client.get("/api/v1/categories", headers=h)
    assert first.status_code == 200 and any(c["code"] == "env.litter" for c in first.json())
    etag = first.headers["etag"]
    r = client.get("/api/v1/categories", headers={**h, "If-None-Match": f'"other", {etag}'})
    assert r.status_code == 304 and r.headers["etag"] == etag
    assert client.get("/api/v1/categories", headers={**h, "If-None-Match": '"other"'}).status_code == 200
    assert client.get("/api/v1/categories", headers={"If-None-Match": etag}).status_code == 401


def test_client_config_has_what_the_phone_needs_offline(client, units, grid_worker, monkeypatch):
    monkeypatch.setenv("XUNCHA_TILE_URL", "https://tiles.example/{z}/{x}/{y}.png")
    monkeypatch.setenv("XUNCHA_SNAP_M", "25")
    get_settings.cache_clear()
    r = client.get("/api/v1/client-config", headers=grid_worker["headers"])
    assert r.status_code == 200, r.text
    config = r.json()
    assert config["layer_precedence"] == ["frontage", "building", "compound", "road", "site", "grid"]
    assert config["snap_m"] == 25 and config["snap_max_m"] == 100
    assert config["rectify_radius_m"] == 100 and config["max_upload_mb"] == 20
    assert config["tile_url"] == "https://tiles.example/{z}/{x}/{y}.png" and config["tile_crs"] == "gcj02"
    assert {"code": "sq01", "name": "单位sq01"} in config["units"]
    assert client.get("/api/v1/client-config").status_code == 401


def test_no_tiles_by_default_and_a_bad_tile_crs_is_refused(monkeypatch):
    assert Settings().tile_url == "" and Settings().tile_crs == "gcj02"
    monkeypatch.setenv("XUNCHA_TILE_CRS", "mercator")
    with pytest.raises(ValueError, match="tile_crs"):
        Settings()
