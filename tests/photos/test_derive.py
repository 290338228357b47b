"""Derived images: upright, no larger than asked, stripped of EXIF; and a big JPEG decoded at reduced scale."""

import io
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, JpegImagePlugin

from app.photos.derive import derive, fit
from app.photos.errors import BrokenImage, TooManyPixels
from app.photos.phash import hamming, phash
from app.photos.sniff import HEIC, JPEG, PNG, WEBP
from tests.photos.images import encode, exif, jpeg, opened, picture, png_claiming

ZONE = ZoneInfo("Asia/Shanghai")


def run(data: bytes, mime: str = JPEG, max_pixels: int = 80_000_000):
    return derive(io.BytesIO(data), mime, max_pixels=max_pixels, local=ZONE)


def test_fit_keeps_the_aspect_and_never_enlarges():
    assert fit((4000, 3000), 1600) == (1600, 1200)
    assert fit((3000, 4000), 320) == (240, 320)
    assert fit((800, 600), 1600) == (800, 600)


def test_a_large_jpeg_is_decoded_at_reduced_scale(monkeypatch):
    decoded = []
    load = JpegImagePlugin.JpegImageFile.load

    def spy(self):
        decoded.append(self.size)
        return load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spy)
    result = run(jpeg(size=(4000, 3000)))
    assert set(decoded) == {(2000, 1500)}  # half of 12 MP: enough for a 1600 px display image
    assert (result.width, result.height) == (4000, 3000)
    assert opened(result.display).size == (1600, 1200)
    assert opened(result.thumb).size == (320, 240)


def test_orientation_6_turns_the_picture_and_swaps_its_sides():
    scene = picture(3, (1800, 1200))
    scene.paste((255, 0, 0), (0, 0, 200, 200))  # a red mark top-left as stored
    result = run(encode(scene, "JPEG", exif(orientation=6), quality=95))
    assert (result.width, result.height) == (1200, 1800)
    display = opened(result.display).convert("RGB")
    assert display.size == (1067, 1600)
    r, g, b = display.getpixel((display.width - 20, 20))  # stored top-left is shown top-right
    assert r > 200 and g < 60 and b < 60


@pytest.mark.parametrize("kind", ["display", "thumb"])
def test_derived_images_carry_no_exif_xmp_or_comment(kind):
    data = encode(
        picture(4, (2000, 1500)),
        "JPEG",
        exif(lat=31.2, lon=121.5, orientation=3, taken="2026:05:01 10:00:00"),
        comment=b"serial 12345",
        xmp=b"<x:xmpmeta><GPSLatitude>31.2</GPSLatitude></x:xmpmeta>",
    )
    served = opened(getattr(run(data), kind))
    assert len(served.getexif()) == 0
    assert not {"exif", "xmp", "comment"} & set(served.info)


def test_phash_from_the_thumbnail_matches_the_original():
    scene = picture(5, (3000, 2000))
    assert hamming(run(encode(scene, "JPEG", quality=92)).phash, phash(scene)) <= 2


@pytest.mark.parametrize(("fmt", "mime"), [("PNG", PNG), ("WEBP", WEBP), ("HEIF", HEIC)])
def test_other_formats(fmt, mime):
    result = run(encode(picture(6, (2000, 1000)), fmt), mime)
    assert (result.width, result.height) == (2000, 1000)
    assert opened(result.display).size == (1600, 800)
    assert opened(result.thumb).size == (320, 160)


def test_transparent_png_is_flattened_onto_white():
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 50, 100))
    display = opened(run(encode(image, "PNG"), PNG).display)
    assert display.mode == "RGB"
    assert display.getpixel((90, 50))[0] > 240 and display.getpixel((10, 50))[2] > 200


def test_sixteen_bit_grey_png_is_scaled_not_clipped():
    image = Image.new("I;16", (64, 64), 32768)
    value = opened(run(encode(image, "PNG"), PNG).display).getpixel((32, 32))
    assert 120 < value < 136


def test_truncated_jpeg_is_broken():
    data = jpeg(size=(1200, 900))
    with pytest.raises(BrokenImage, match="truncated or corrupt"):
        run(data[: len(data) // 2])


@pytest.mark.parametrize(("fmt", "mime"), [("PNG", PNG), ("WEBP", WEBP), ("HEIF", HEIC)])
def test_other_truncated_formats_are_broken(fmt, mime):
    data = encode(picture(8, (600, 400)), fmt)
    with pytest.raises(BrokenImage, match="truncated or corrupt"):
        run(data[: len(data) * 2 // 3], mime)


def test_jpeg_cut_inside_its_header_is_broken():
    with pytest.raises(BrokenImage):
        run(jpeg()[:40])


def test_more_pixels_than_allowed_is_refused_before_decoding():
    with pytest.raises(TooManyPixels, match="more than the 1,000,000 allowed"):
        run(jpeg(size=(1200, 900)), max_pixels=1_000_000)


def test_pillows_own_bomb_error_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    with pytest.raises(TooManyPixels):
        run(png_claiming(100, 100), PNG)


def test_a_png_bomb_is_refused():
    with pytest.raises(TooManyPixels):
        run(png_claiming(60_000, 60_000), PNG)
