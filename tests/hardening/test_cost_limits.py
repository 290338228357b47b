"""Cost limits: bodies refused before parsing or sign-in, decodes bounded by memory and in number, uploads
holding no database connection while they stream."""

import io
import json

import pytest
from PIL import Image

from app import db as app_db
from app.config import get_settings
from app.models import Role


@pytest.fixture
def grid(make_user_fast) -> dict:
    return make_user_fast("grid1", Role.grid_worker)


def _chunks(data: bytes, size: int = 64 * 1024):
    for i in range(0, len(data), size):
        yield data[i : i + size]


def test_a_large_json_body_without_a_token_is_413_not_read_and_parsed_first(client):
    body = json.dumps({"description": "x" * (2 * 2**20)}).encode()
    r = client.post("/api/v1/issues", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413, r.text
    assert "XUNCHA_MAX_JSON_KB" in r.json()["detail"]


def test_a_chunked_json_body_is_counted_as_it_streams(client, grid):
    body = json.dumps({"description": "x" * (2 * 2**20)}).encode()
    r = client.post(  # a generator: sent chunked, with no Content-Length to go by
        "/api/v1/issues",
        content=_chunks(body),
        headers={**grid["headers"], "Content-Type": "application/json"},
    )
    assert r.status_code == 413, r.text


def test_a_sign_in_form_past_the_limit_is_413(client):
    r = client.post(
        "/api/v1/auth/token",
        content=b"username=a&password=" + b"p" * (1 * 2**20),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 413, r.text


def test_a_zone_import_has_its_own_larger_limit(client, world):
    features = [
        {
            "type": "Feature",
            "properties": {"code": f"Z{i}", "name": "x" * 100, "unit": "cgj"},
            "geometry": {"type": "Point", "coordinates": [112.95, 28.2]},
        }
        for i in range(3000)
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    assert len(body) > get_settings().max_json_bytes
    r = client.post(
        "/api/v1/zones/import?layer=site",
        content=body,
        headers={**world.h("admin"), "Content-Type": "application/json"},
    )
    assert r.status_code != 413, r.text
    assert get_settings().max_import_mb >= 50


def _png_bomb(size: tuple[int, int], mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_a_small_png_that_decodes_to_hundreds_of_mb_is_422_before_decoding(client, grid, monkeypatch):
    data = _png_bomb((9000, 8000))  # 72 MP, under XUNCHA_MAX_IMAGE_PIXELS; 275 MB as RGBA
    assert len(data) < 2**20
    loaded = []
    real_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda self: loaded.append(self.size) or real_load(self))
    r = client.post("/api/v1/photos", files={"file": ("a.png", data, "image/png")}, headers=grid["headers"])
    assert r.status_code == 422, r.text
    assert "XUNCHA_MAX_DECODE_MB" in r.json()["detail"]
    assert (9000, 8000) not in loaded


def test_sixteen_bit_grey_counts_its_depth(client, grid, monkeypatch):
    monkeypatch.setenv("XUNCHA_MAX_DECODE_MB", "100")
    get_settings.cache_clear()
    out = io.BytesIO()
    Image.new("I;16", (4000, 3000)).save(out, "PNG")  # 12 MP: 12 MB as 8-bit grey, 126 MB to decode
    r = client.post(
        "/api/v1/photos", files={"file": ("a.png", out.getvalue(), "image/png")}, headers=grid["headers"]
    )
    assert r.status_code == 422 and "XUNCHA_MAX_DECODE_MB" in r.json()["detail"], r.text


def test_an_upload_holds_no_database_connection_while_its_body_streams(client, grid):
    from tests.photos.images import jpeg

    data = jpeg(size=(640, 480))
    boundary = "xunchaboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    held = []

    def stream():
        for i, chunk in enumerate(_chunks(body, 4096)):
            if i == 2:
                held.append(app_db.get_engine().pool.checkedout())
            yield chunk

    r = client.post(
        "/api/v1/photos",
        content=stream(),
        headers={**grid["headers"], "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert r.status_code == 201, r.text
    assert held == [0]
