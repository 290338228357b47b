"""Real images made on the spot: pictures with structure (so perceptual hashes mean something) and EXIF."""

import io
import struct
import zlib

import numpy as np
from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

import app.photos.derive  # noqa: F401  (registers the HEIF opener used to write HEIC)


def picture(seed: int = 1, size: tuple[int, int] = (800, 600)) -> Image.Image:
    """A deterministic scene: a gradient sky, a few shapes and a little sensor noise."""
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255 / w, y * 255 / h, (x + y) * 127 / (w + h) + rng.integers(0, 100)], axis=-1)
    image = Image.fromarray(np.clip(base + rng.normal(0, 4, base.shape), 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x0, y0 = int(rng.integers(0, w * 3 // 4)), int(rng.integers(0, h * 3 // 4))
        box = (x0, y0, x0 + int(rng.integers(w // 10, w // 3)), y0 + int(rng.integers(h // 10, h // 3)))
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        (draw.ellipse if rng.integers(0, 2) else draw.rectangle)(box, fill=color)
    return image


def dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60 * 10000)
    return IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 10000)


def exif(
    lat: float | None = None,
    lon: float | None = None,
    orientation: int | None = None,
    taken: str | None = None,
    offset: str | None = None,
    accuracy_m: float | None = None,
    device: tuple[str, str] | None = ("Apple", "iPhone 15 Pro"),
) -> Image.Exif:
    """EXIF as a phone writes it: GPS with N/S/E/W refs, DateTimeOriginal (+ OffsetTimeOriginal), Orientation."""
    data = Image.Exif()
    if device:
        data[0x010F], data[0x0110] = device
    if orientation is not None:
        data[0x0112] = orientation
    if lat is not None and lon is not None:
        gps = {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)}
        if accuracy_m is not None:
            gps[0x1F] = IFDRational(round(accuracy_m * 100), 100)
        data[0x8825] = gps
    if taken:
        data[0x8769] = {0x9003: taken} | ({0x9011: offset} if offset else {})
    return data


def encode(image: Image.Image, fmt: str = "JPEG", exif_data: Image.Exif | None = None, **options) -> bytes:
    out = io.BytesIO()
    if exif_data is not None:
        options["exif"] = exif_data
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(seed: int = 1, size: tuple[int, int] = (800, 600), **exif_fields) -> bytes:
    return encode(picture(seed, size), "JPEG", exif(**exif_fields) if exif_fields else None, quality=90)


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height: what a decompression bomb looks like before decoding."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
