"""What a phone in the field (or someone pretending to be one) can send wrong, and the answer it gets."""

import os

import pytest
from sqlmodel import select

from app.config import get_settings
from app.models import Photo
from tests.photos.images import jpeg, png_claiming

BOUNDARY = "xunchaboundary"


def nothing_kept(session, settings) -> bool:
    media = settings.media_dir
    kept = [p for p in media.rglob("*") if p.is_file() and "tmp" not in p.parts] if media.exists() else []
    temporary = list((media / "tmp").iterdir()) if (media / "tmp").exists() else []
    return not session.exec(select(Photo)).all() and not kept and not temporary


def test_a_text_file_named_jpg_is_415(upload, session, settings):
    r = upload(b"this is not a photo, whatever its name says\n", filename="photo.jpg")
    assert r.status_code == 415
    assert "not a JPEG, PNG, WebP or HEIC" in r.json()["detail"]
    assert nothing_kept(session, settings)


def test_an_empty_file_is_415(upload):
    r = upload(b"", filename="photo.jpg")
    assert r.status_code == 415 and "empty" in r.json()["detail"]


def test_a_gif_is_415(upload):
    assert (
        upload(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", filename="a.gif", content_type="image/gif").status_code
        == 415
    )


def test_a_truncated_jpeg_is_422_with_a_clear_detail(upload, session, settings):
    data = jpeg(size=(1200, 900))
    r = upload(data[: len(data) * 2 // 3])
    assert r.status_code == 422
    assert "truncated or corrupt" in r.json()["detail"]
    assert nothing_kept(session, settings)


def test_a_decompression_bomb_is_422(upload, session, settings):
    r = upload(png_claiming(50_000, 50_000), filename="bomb.png", content_type="image/png")
    assert r.status_code == 422
    assert "pixels" in r.json()["detail"]
    assert nothing_kept(session, settings)


def test_more_pixels_than_the_setting_is_422(upload, monkeypatch):
    monkeypatch.setenv("XUNCHA_MAX_IMAGE_PIXELS", "100000")
    get_settings.cache_clear()
    r = upload(jpeg(size=(800, 600)))
    assert r.status_code == 422
    assert "480,000 pixels, more than the 100,000 allowed" in r.json()["detail"]


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setenv("XUNCHA_MAX_UPLOAD_MB", "0.05")  # 52,428 bytes
    get_settings.cache_clear()


def test_an_oversized_upload_is_413(upload, small_limit, session, settings):
    data = jpeg(size=(1600, 1200))
    assert len(data) > 0.05 * 2**20
    r = upload(data)
    assert r.status_code == 413
    assert "XUNCHA_MAX_UPLOAD_MB" in r.json()["detail"]
    assert nothing_kept(session, get_settings())


def _multipart(data: bytes) -> list[bytes]:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return [
        head,
        *(data[i : i + 8192] for i in range(0, len(data), 8192)),
        f"\r\n--{BOUNDARY}--\r\n".encode(),
    ]


def test_an_oversized_chunked_upload_without_content_length_is_413(client, grid, small_limit, session):
    sent = []

    def body():
        for part in _multipart(os.urandom(400_000)):
            sent.append(len(part))
            yield part

    r = client.post(
        "/api/v1/photos",
        content=body(),
        headers=grid["headers"] | {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert r.status_code == 413
    assert nothing_kept(session, get_settings())


def test_a_lying_content_length_is_refused_at_once(client, grid, small_limit):
    r = client.post(
        "/api/v1/photos",
        content=b"".join(_multipart(b"x")),
        headers=grid["headers"]
        | {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Content-Length": str(10 * 2**20)},
    )
    assert r.status_code == 413


def test_a_streamed_upload_within_the_limit_is_accepted(client, grid):
    r = client.post(
        "/api/v1/photos",
        content=iter(_multipart(jpeg())),
        headers=grid["headers"] | {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert r.status_code == 201, r.text


def test_without_a_file_field_is_422(client, grid):
    r = client.post(
        "/api/v1/photos", files={"photo": ("a.jpg", jpeg(), "image/jpeg")}, headers=grid["headers"]
    )
    assert r.status_code == 422 and r.json()["detail"].startswith("file:")


def test_two_files_are_422(client, grid):
    files = [("file", ("a.jpg", jpeg(1), "image/jpeg")), ("file", ("b.jpg", jpeg(2), "image/jpeg"))]
    r = client.post("/api/v1/photos", files=files, headers=grid["headers"])
    assert r.status_code == 422 and "one photo" in r.json()["detail"]


def test_a_raw_body_is_415(client, grid):
    r = client.post(
        "/api/v1/photos", content=jpeg(), headers=grid["headers"] | {"Content-Type": "image/jpeg"}
    )
    assert r.status_code == 415 and "multipart/form-data" in r.json()["detail"]


def test_a_broken_multipart_body_is_400(client, grid):
    r = client.post(
        "/api/v1/photos",
        content=b"--other\r\ngarbage",
        headers=grid["headers"] | {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert r.status_code in (400, 422)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"lat": "91", "lon": "120"}, "lat:"),
        ({"lat": "30", "lon": "east"}, "lon:"),
        ({"lat": "30"}, "both lat and lon"),
        ({"lat": "nan", "lon": "120"}, "lat:"),
        ({"lat": "30", "lon": "120", "crs": "osgb36"}, "crs:"),
        ({"accuracy_m": "-5"}, "accuracy_m:"),
        ({"taken_at": "last tuesday"}, "taken_at:"),
    ],
)
def test_bad_form_fields_are_422_naming_the_field(upload, session, settings, fields, expected):
    r = upload(jpeg(), **fields)
    assert r.status_code == 422
    assert expected in r.json()["detail"]
    assert nothing_kept(session, settings)


def test_blank_form_fields_mean_unknown(upload):
    r = upload(jpeg(), lat="", lon="", crs="", accuracy_m="", taken_at="")
    assert r.status_code == 201 and r.json()["lat"] is None


def test_an_oversized_form_field_is_422(upload):
    r = upload(jpeg(), taken_at="2" * 5000)
    assert r.status_code == 422
    assert r.json()["detail"] == "taken_at: a form field may hold at most 1024 bytes"


def test_signed_out_is_401_before_any_byte_is_kept(client, session, settings):
    r = client.post("/api/v1/photos", files={"file": ("a.jpg", jpeg(), "image/jpeg")})
    assert r.status_code == 401
    assert nothing_kept(session, settings)
