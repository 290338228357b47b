"""What EXIF says about where and when a photo was taken, read defensively: phones write odd things."""

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from PIL import Image

ORIENTATION = 0x0112
MAKE, MODEL = 0x010F, 0x0110
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME_DIGITIZED = 0x9003, 0x9004
OFFSET_TIME_ORIGINAL, OFFSET_TIME_DIGITIZED = 0x9011, 0x9012
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4
GPS_STATUS, GPS_H_POSITIONING_ERROR = 9, 0x1F

_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


@dataclass(frozen=True)
class ExifFacts:
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    taken_at: datetime | None = None  # aware
    orientation: int = 1  # 1-8, as in the TIFF specification
    device: str | None = None  # "Make Model", kept for the record, never served

    @property
    def swaps_sides(self) -> bool:
        """Orientations 5-8 turn the picture a quarter: its width and height trade places."""
        return self.orientation in (5, 6, 7, 8)


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "").strip()
    return value or None


def _number(value: Any) -> float | None:
    try:
        number = float(value)  # IFDRational with a zero denominator gives nan
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) else None


def _degrees(value: object) -> float | None:
    """Degrees from (d, m, s), (d, m) or d rationals."""
    parts = value if isinstance(value, tuple | list) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    numbers = [_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    return float(sum(n / 60**i for i, n in enumerate(numbers) if n is not None))


def _location(gps: dict[int, Any]) -> tuple[float | None, float | None, float | None]:
    if _text(gps.get(GPS_STATUS)) == "V":  # "void": the receiver had no fix
        return None, None, None
    lat, lon = _degrees(gps.get(GPS_LAT)), _degrees(gps.get(GPS_LON))
    if lat is None or lon is None:
        return None, None, None
    if (_text(gps.get(GPS_LAT_REF)) or "N").upper() == "S":
        lat = -abs(lat)
    if (_text(gps.get(GPS_LON_REF)) or "E").upper() == "W":
        lon = -abs(lon)
    if abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):  # 0,0 is what phones write with no fix
        return None, None, None
    accuracy = _number(gps.get(GPS_H_POSITIONING_ERROR))
    return round(lat, 7), round(lon, 7), accuracy if accuracy is not None and accuracy >= 0 else None


def _offset(value: object) -> tzinfo | None:
    match = _OFFSET.match(_text(value) or "")
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14):
        return None
    return timezone(-delta if sign == "-" else delta)


def _moment(value: object, offset: object, local: tzinfo) -> datetime | None:
    """An EXIF 'YYYY:MM:DD HH:MM:SS' with its offset tag, else read in `local` (EXIF times carry no zone)."""
    text = _text(value)
    if not text:
        return None
    try:
        naive = datetime.strptime(text[:19].replace("-", ":"), "%Y:%m:%d %H:%M:%S")
    except ValueError:  # blank "    :  :     :  :  ", "0000:00:00 00:00:00", garbage
        return None
    return naive.replace(tzinfo=_offset(offset) or local)


def _device(ifd0: Image.Exif) -> str | None:
    make, model = _text(ifd0.get(MAKE)), _text(ifd0.get(MODEL))
    if make and model and model.lower().startswith(make.lower()):
        make = None
    device = " ".join(p for p in (make, model) if p)
    return device[:200] or None


def read_exif(exif: Image.Exif, local: tzinfo) -> ExifFacts:
    """The facts in `exif`; anything missing or malformed is None (orientation 1), never an error."""
    if not exif:
        return ExifFacts()
    try:
        gps = exif.get_ifd(GPS_IFD)
    except Exception:  # a malformed IFD pointer; Pillow raises several kinds
        gps = {}
    try:
        sub = exif.get_ifd(EXIF_IFD)
    except Exception:
        sub = {}
    lat, lon, accuracy = _location(gps)
    taken_at = _moment(sub.get(DATETIME_ORIGINAL), sub.get(OFFSET_TIME_ORIGINAL), local) or _moment(
        sub.get(DATETIME_DIGITIZED), sub.get(OFFSET_TIME_DIGITIZED), local
    )
    orientation = exif.get(ORIENTATION)
    return ExifFacts(
        lat=lat,
        lon=lon,
        accuracy_m=accuracy,
        taken_at=taken_at,
        orientation=orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1,
        device=_device(exif),
    )
