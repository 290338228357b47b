"""POST /api/v1/photos with real photos: EXIF first, the phone's fields beside it, same bytes same photo."""

from datetime import datetime

import pytest
from sqlmodel import select

from app.deps import photo_store
from app.geo.crs import from_wgs84
from app.models import Photo
from app.storage import LocalPhotoStore, get_photo_store
from tests.photos.images import encode, exif, jpeg, picture

SHANGHAI_LAT, SHANGHAI_LON = 31.2304, 121.4737


def test_a_geotagged_jpeg(upload, session):
    r = upload(jpeg(lat=SHANGHAI_LAT, lon=SHANGHAI_LON, taken="2026:05:01 10:00:00", offset="+08:00"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) >= {"id", "sha256", "width", "height", "taken_at", "lat", "lon", "phash"}
    assert (body["width"], body["height"]) == (800, 600)
    assert body["lat"] == pytest.approx(SHANGHAI_LAT, abs=1e-6)
    assert body["lon"] == pytest.approx(SHANGHAI_LON, abs=1e-6)
    assert datetime.fromisoformat(body["taken_at"]) == datetime.fromisoformat("2026-05-01T10:00:00+08:00")
    assert len(body["phash"]) == 16 and body["location_from"] == "exif"
    photo = session.get(Photo, body["id"])
    assert photo.device == "Apple iPhone 15 Pro" and photo.mime == "image/jpeg"


def test_southern_and_western_refs_give_negative_coordinates(upload):
    body = upload(jpeg(lat=-22.9068, lon=-43.1729)).json()
    assert body["lat"] == pytest.approx(-22.9068, abs=1e-6)
    assert body["lon"] == pytest.approx(-43.1729, abs=1e-6)


def test_rotated_photo_reports_upright_size(upload):
    body = upload(jpeg(size=(1600, 1200), orientation=6)).json()
    assert (body["width"], body["height"]) == (1200, 1600)


def test_photo_without_exif_takes_the_phones_fields(upload):
    r = upload(jpeg(), lat=SHANGHAI_LAT, lon=SHANGHAI_LON, accuracy_m=12.5, taken_at="2026-05-01T10:00:00Z")
    body = r.json()
    assert r.status_code == 201
    assert (body["lat"], body["lon"], body["accuracy_m"]) == (SHANGHAI_LAT, SHANGHAI_LON, 12.5)
    assert datetime.fromisoformat(body["taken_at"]) == datetime.fromisoformat("2026-05-01T10:00:00+00:00")
    assert body["location_from"] == body["taken_at_from"] == "form"


def test_photo_with_neither_has_no_location_or_time(upload):
    body = upload(jpeg()).json()
    assert (body["lat"], body["lon"], body["taken_at"], body["location_from"]) == (None, None, None, None)


def test_a_time_without_zone_is_read_in_the_configured_zone(upload):
    body = upload(jpeg(), taken_at="2026-05-01T10:00:00").json()
    assert datetime.fromisoformat(body["taken_at"]) == datetime.fromisoformat("2026-05-01T02:00:00+00:00")


def test_exif_wins_but_the_phones_fields_are_kept_beside_it(upload, session):
    body = upload(
        jpeg(lat=30.0, lon=120.0, taken="2026:05:01 10:00:00"),
        lat=31.0,
        lon=121.0,
        taken_at="2026-06-01T00:00:00Z",
    ).json()
    assert (body["lat"], body["lon"]) == (30.0, 120.0)
    photo = session.get(Photo, body["id"])
    assert (photo.form_lat, photo.form_lon) == (31.0, 121.0)
    assert photo.form_taken_at.isoformat() == "2026-06-01T00:00:00+00:00"


@pytest.mark.parametrize("crs", ["gcj02", "bd09"])
def test_china_map_coordinates_are_stored_as_wgs84(upload, session, crs):
    lon, lat = from_wgs84(SHANGHAI_LON, SHANGHAI_LAT, crs)
    assert abs(lon - SHANGHAI_LON) > 1e-3  # several hundred metres apart: the conversion matters
    body = upload(jpeg(), lat=lat, lon=lon, crs=crs).json()
    assert body["lat"] == pytest.approx(SHANGHAI_LAT, abs=1e-6)
    assert body["lon"] == pytest.approx(SHANGHAI_LON, abs=1e-6)
    assert session.get(Photo, body["id"]).form_crs == crs


@pytest.mark.parametrize(
    ("fmt", "mime", "name"),
    [("PNG", "image/png", "a.png"), ("WEBP", "image/webp", "a.webp"), ("HEIF", "image/heic", "a.heic")],
)
def test_png_webp_and_heic(upload, client, grid, fmt, mime, name):
    r = upload(encode(picture(2, (1000, 700)), fmt), filename=name, content_type="application/octet-stream")
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["mime"], body["width"], body["height"]) == (mime, 1000, 700)
    assert client.get(f"/api/v1/photos/{body['id']}/thumb", headers=grid["headers"]).status_code == 200


def test_heic_with_gps(upload):
    data = encode(picture(3, (640, 480)), "HEIF", exif(lat=SHANGHAI_LAT, lon=SHANGHAI_LON))
    body = upload(data, filename="IMG_0001.HEIC", content_type="image/heic").json()
    assert body["lat"] == pytest.approx(SHANGHAI_LAT, abs=1e-6)


def test_the_same_bytes_again_are_the_same_photo(upload, make_user, session):
    data = jpeg(lat=30.0, lon=120.0)
    first = upload(data)
    other = make_user("road1", "road_chief")
    again = upload(data, filename="other-name.jpg", headers=other["headers"])
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert len(session.exec(select(Photo)).all()) == 1


def test_a_lost_file_is_restored_by_the_next_upload_of_the_same_bytes(upload, client, grid, settings):
    data = jpeg()
    body = upload(data).json()
    store = get_photo_store(settings)
    store.path(body["sha256"], "display").unlink()
    assert client.get(f"/api/v1/photos/{body['id']}", headers=grid["headers"]).status_code == 404
    assert upload(data).status_code == 200
    assert client.get(f"/api/v1/photos/{body['id']}", headers=grid["headers"]).status_code == 200


def test_every_role_may_upload(upload, make_user, make_unit):
    unit = make_unit("U1")
    for i, role in enumerate(["admin", "office", "unit", "grid_worker", "road_chief"]):
        user = make_user(f"user{i}", role, unit=unit if role == "unit" else None)
        assert upload(jpeg(seed=10 + i), headers=user["headers"]).status_code == 201


def test_the_photo_store_is_a_dependency_a_test_can_replace(upload, client, tmp_path):
    elsewhere = LocalPhotoStore(tmp_path / "elsewhere")
    client.app.dependency_overrides[photo_store] = lambda: elsewhere
    try:
        body = upload(jpeg(seed=99)).json()
    finally:
        client.app.dependency_overrides.pop(photo_store)
    assert elsewhere.path(body["sha256"], "display").is_file()
