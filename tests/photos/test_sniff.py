"""The real type comes from the bytes: names and headers lie."""

import pytest

from app.photos.sniff import HEIC, HEIF, JPEG, PNG, WEBP, sniff
from tests.photos.images import encode, jpeg, picture


@pytest.mark.parametrize(
    ("fmt", "mime"), [("JPEG", JPEG), ("PNG", PNG), ("WEBP", WEBP), ("HEIF", HEIC)], ids=str.lower
)
def test_images_made_by_pillow_are_recognised(fmt, mime):
    assert sniff(encode(picture(size=(64, 48)), fmt)[:64]) == mime


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"hello, I am a text file named photo.jpg\n",
        b"GIF89a\x01\x00\x01\x00",
        b"%PDF-1.7\n",
        b"RIFF\x00\x00\x00\x00WAVEfmt ",
        b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",  # AVIF: pillow-heif does not read it
        b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00isommp42",  # a video
    ],
    ids=["empty", "text", "gif", "pdf", "wav", "avif", "mp4"],
)
def test_anything_else_is_not_accepted(head):
    assert sniff(head) is None


def test_generic_heif_brand_without_avif_is_heif():
    assert sniff(b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1miaf") == HEIF


def test_a_jpeg_named_png_is_still_a_jpeg():
    assert sniff(jpeg()[:64]) == JPEG
