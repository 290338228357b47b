"""GET the display image, the thumbnail and (admins only) the original."""

import pytest

from app.models import Role
from tests.photos.images import jpeg, opened

GPS = 0x8825


@pytest.fixture
def photo(upload) -> dict:
    original = jpeg(size=(2400, 1800), lat=31.2, lon=121.5, orientation=1, taken="2026:05:01 10:00:00")
    body = upload(original).json()
    return body | {"bytes": original}


@pytest.mark.parametrize(("path", "size"), [("", (1600, 1200)), ("/thumb", (320, 240))])
def test_display_and_thumbnail_sizes_without_location(client, grid, photo, path, size):
    r = client.get(f"/api/v1/photos/{photo['id']}{path}", headers=grid["headers"])
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/jpeg"
    image = opened(r.content)
    assert image.format == "JPEG" and image.size == size
    assert GPS not in image.getexif() and len(image.getexif()) == 0


def test_a_rotated_photo_is_served_upright(client, grid, upload):
    body = upload(jpeg(size=(2000, 1500), orientation=6)).json()
    display = opened(client.get(f"/api/v1/photos/{body['id']}", headers=grid["headers"]).content)
    thumb = opened(client.get(f"/api/v1/photos/{body['id']}/thumb", headers=grid["headers"]).content)
    assert (display.size, thumb.size) == ((1200, 1600), (240, 320))


@pytest.mark.parametrize("role", [Role.grid_worker, Role.road_chief, Role.unit, Role.office])
def test_the_original_is_forbidden_to_everyone_but_admin(client, make_user, photo, role):
    user = make_user(f"u_{role}", role)
    r = client.get(f"/api/v1/photos/{photo['id']}/original", headers=user["headers"])
    assert r.status_code == 403


def test_admin_gets_the_original_bytes_exif_and_all(client, admin, photo):
    r = client.get(f"/api/v1/photos/{photo['id']}/original", headers=admin["headers"])
    assert r.status_code == 200
    assert r.content == photo["bytes"]
    assert r.headers["content-disposition"].startswith("attachment")
    assert GPS in opened(r.content).getexif()


def test_unknown_photo_is_404(client, grid, admin):
    assert client.get("/api/v1/photos/nope", headers=grid["headers"]).status_code == 404
    assert client.get("/api/v1/photos/nope/thumb", headers=grid["headers"]).status_code == 404
    assert client.get("/api/v1/photos/nope/original", headers=admin["headers"]).status_code == 404


def test_signed_out_is_401(client, photo):
    assert client.get(f"/api/v1/photos/{photo['id']}").status_code == 401


def test_an_unchanged_file_is_304(client, grid, photo):
    url = f"/api/v1/photos/{photo['id']}/thumb"
    first = client.get(url, headers=grid["headers"])
    again = client.get(url, headers=grid["headers"] | {"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert "immutable" in first.headers["cache-control"]
