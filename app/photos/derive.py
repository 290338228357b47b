"""From uploaded bytes to evidence: the EXIF facts, a display image, a thumbnail and a perceptual hash.

Speed comes from never decoding more than is shown: a JPEG is decoded by libjpeg at the smallest 1/2, 1/4 or
1/8 scale that still covers the display size (draft mode), so a 12 MP photo is decoded as 3 MP; the display
image is resized from there, the thumbnail from the display image, and the hash from the thumbnail.
Orientation is applied to the small images only. What is served carries no EXIF, XMP or comment at all:
no location, no device, no orientation tag (the pixels are already upright).
"""

import io
import logging
import math
import struct
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import IO

import pillow_heif
from PIL import Image, ImageCms

from app.photos.errors import BrokenImage, TooManyPixels
from app.photos.exif import ExifFacts, read_exif
from app.photos.phash import phash
from app.photos.sniff import NAME, PILLOW_FORMAT

# Embedded HEIF thumbnails are off: a crafted file could carry a thumbnail that is another picture, and the
# display image must show what the original is. Depth and auxiliary images are never needed.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

log = logging.getLogger("xuncha.photos")
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
DISPLAY_PX = 1600
THUMB_PX = 320
DISPLAY_QUALITY = 85
THUMB_QUALITY = 80
# every way Pillow and its plugins report undecodable input (truncated data, bad headers, bad chunks)
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, struct.error)
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Derived:
    width: int  # of the original, upright (after EXIF orientation)
    height: int
    exif: ExifFacts
    display: bytes  # JPEG, long side <= DISPLAY_PX
    thumb: bytes  # JPEG, long side <= THUMB_PX
    phash: int  # unsigned 64-bit


def fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """`size` scaled so that its long side is at most `long_side` (never enlarged)."""
    w, h = size
    scale = long_side / max(w, h)
    if scale >= 1:
        return w, h
    return max(1, round(w * scale)), max(1, round(h * scale))


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    w, h = size
    if w <= 0 or h <= 0:
        raise BrokenImage(f"the image declares an empty size {w}x{h}")
    if w * h > max_pixels:
        raise TooManyPixels(
            f"the image is {w}x{h} = {w * h:,} pixels, more than the {max_pixels:,} allowed "
            "(XUNCHA_MAX_IMAGE_PIXELS); a phone photo is far smaller: is this a decompression bomb?"
        )


# what a decode allocates per pixel at full size, in Pillow's mode: the pixels (4 bytes for every multi-band
# mode), and the full-size copies _resizable makes of palette, 1-bit and 16-bit images before resizing
_SIXTEEN_BIT = 2 + 4 + 4 + 1  # I;16, then I, then I scaled, then L
DECODE_BYTES_PER_PIXEL = {
    "1": 1 + 4,
    "L": 1,
    "P": 1 + 4,
    "I": 4 + 4 + 1,
    "I;16": _SIXTEEN_BIT,
    "I;16B": _SIXTEEN_BIT,
    "I;16L": _SIXTEEN_BIT,
    "I;16N": _SIXTEEN_BIT,
}
MULTI_BAND_BYTES = 4


def _check_memory(image: Image.Image, max_bytes: int | None) -> None:
    """Refuses, before decoding, an image whose pixels would take more than `max_bytes` in memory: a small
    file can declare a size, bit depth and channels that decode to hundreds of MB."""
    if max_bytes is None:
        return
    w, h = image.size
    need = w * h * DECODE_BYTES_PER_PIXEL.get(image.mode, MULTI_BAND_BYTES)
    if need > max_bytes:
        raise TooManyPixels(
            f"the image ({w}x{h}, {image.mode}) would take {need / 2**20:,.0f} MB to decode, more than the "
            f"{max_bytes / 2**20:g} MB allowed (XUNCHA_MAX_DECODE_MB); send the photo as the camera took it"
        )


def _facts(image: Image.Image, local: tzinfo) -> ExifFacts:
    try:
        return read_exif(image.getexif(), local)
    except Exception:  # broken EXIF must not cost the photo: the pixels are the evidence
        log.info("unreadable EXIF ignored", exc_info=True)
        return ExifFacts()


def _resizable(image: Image.Image) -> Image.Image:
    """A mode Pillow resamples properly (palette and 1-bit images would fall back to nearest-neighbour)."""
    if image.mode in ("P", "PA", "1"):
        return image.convert("RGBA" if image.has_transparency_data else "RGB")
    if image.mode.startswith("I;16") or image.mode == "I":
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")  # 16 bits to 8, not clipped
    return image


def _servable(image: Image.Image) -> Image.Image:
    """RGB or L, transparency flattened onto white (JPEG has no alpha)."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """The pixels converted from the upload's colour profile to sRGB; a profile that cannot be read or used is
    dropped (the pixels are then taken as sRGB). Either way no uploaded profile bytes are carried on."""
    if not icc_profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        log.info("colour profile that cannot be applied dropped")
        return image
    return converted if converted is not None else image


def _jpeg(image: Image.Image, quality: int) -> bytes:
    image.info = {}  # resized images inherit info: a comment or a profile would otherwise be carried over
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)  # sRGB, no EXIF, no XMP, no ICC: only pixels
    return out.getvalue()


def derive(
    source: Path | IO[bytes],
    mime: str,
    *,
    max_pixels: int,
    local: tzinfo,
    max_bytes: int | None = None,
    display_px: int = DISPLAY_PX,
    thumb_px: int = THUMB_PX,
) -> Derived:
    """Decode `source` (already sniffed as `mime`) no larger than needed and derive everything from it."""
    try:
        with Image.open(source, formats=[PILLOW_FORMAT[mime]]) as image:
            _check_pixels(image.size, max_pixels)
            full_size = image.size
            target = fit(full_size, display_px)
            image.draft(None, (math.ceil(target[0]), math.ceil(target[1])))  # JPEG: decode at 1/2, 1/4, 1/8
            _check_memory(
                image, max_bytes
            )  # at the size it will decode to, and before EXIF (PNG decodes for it)
            facts = _facts(image, local)
            image.load()
            icc = image.info.get("icc_profile")
            display = _resizable(image)
            if (
                display.size != target
            ):  # area averaging: a plain downscaling filter, a third cheaper than bilinear
                display = display.resize(target, Image.Resampling.BOX, reducing_gap=2.0)
    except Image.DecompressionBombError as exc:
        raise TooManyPixels(f"the image is too large to decode safely: {exc}") from exc
    except Image.UnidentifiedImageError as exc:
        raise BrokenImage(f"the file starts like a {NAME[mime]} image but its header cannot be read") from exc
    except DECODE_ERRORS as exc:
        raise BrokenImage(
            f"the {NAME[mime]} image is truncated or corrupt and cannot be decoded ({exc}); send the photo again"
        ) from exc

    if facts.orientation in TRANSPOSE:
        display = display.transpose(TRANSPOSE[facts.orientation])
    display = to_srgb(_servable(display), icc)
    # box-reduce by the whole factor (area averaging), then a light bilinear pass for the rest: about 1 ms
    thumb = display.resize(fit(display.size, thumb_px), Image.Resampling.BILINEAR, reducing_gap=1.0)
    width, height = (full_size[1], full_size[0]) if facts.swaps_sides else full_size
    return Derived(
        width=width,
        height=height,
        exif=facts,
        display=_jpeg(display, DISPLAY_QUALITY),
        thumb=_jpeg(thumb, THUMB_QUALITY),
        phash=phash(thumb),
    )
