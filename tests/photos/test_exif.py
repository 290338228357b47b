"""EXIF facts: the GPS ref letters give the sign, times get their offset or the configured zone."""

import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from app.photos.exif import read_exif
from tests.photos.images import jpeg

SHANGHAI = ZoneInfo("Asia/Shanghai")


def facts_of(data: bytes):
    return read_exif(Image.open(io.BytesIO(data)).getexif(), SHANGHAI)


@pytest.mark.parametrize(
    ("lat", "lon"), [(31.2304, 121.4737), (-33.8688, 151.2093), (40.7128, -74.006), (-22.9068, -43.1729)]
)
def test_gps_refs_give_the_hemisphere(lat, lon):
    facts = facts_of(jpeg(lat=lat, lon=lon, size=(32, 24)))
    assert facts.lat == pytest.approx(lat, abs=1e-6)
    assert facts.lon == pytest.approx(lon, abs=1e-6)


def test_date_time_original_with_its_offset():
    facts = facts_of(jpeg(taken="2026:05:01 10:00:00", offset="-03:00", size=(32, 24)))
    assert facts.taken_at == datetime(2026, 5, 1, 10, tzinfo=timezone(timedelta(hours=-3)))


def test_date_time_original_without_offset_is_read_in_the_configured_zone():
    facts = facts_of(jpeg(taken="2026:05:01 10:00:00", size=(32, 24)))
    assert facts.taken_at == datetime(2026, 5, 1, 2, tzinfo=ZoneInfo("UTC"))


def test_orientation_device_and_accuracy():
    facts = facts_of(jpeg(lat=30.0, lon=120.0, accuracy_m=4.5, orientation=6, size=(32, 24)))
    assert facts.orientation == 6 and facts.swaps_sides
    assert facts.device == "Apple iPhone 15 Pro"
    assert facts.accuracy_m == pytest.approx(4.5)


def test_no_exif_gives_no_facts():
    facts = facts_of(jpeg(size=(32, 24)))
    assert (facts.lat, facts.lon, facts.taken_at, facts.orientation, facts.device) == (
        None,
        None,
        None,
        1,
        None,
    )


def _raw(gps: dict | None = None, sub: dict | None = None, orientation=None) -> Image.Exif:
    data = Image.Exif()
    if gps is not None:
        data[0x8825] = gps
    if sub is not None:
        data[0x8769] = sub
    if orientation is not None:
        data[0x0112] = orientation
    return read_exif(Image.open(io.BytesIO(_jpeg_with(data))).getexif(), SHANGHAI)


def _jpeg_with(data: Image.Exif) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG", exif=data)
    return out.getvalue()


@pytest.mark.parametrize(
    "gps",
    [
        {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)},  # no fix written as 0,0
        {1: "N", 2: (IFDRational(1, 0), 0.0, 0.0), 3: "E", 4: (120.0, 0.0, 0.0)},  # zero denominator
        {1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (120.0, 0.0, 0.0)},  # out of range
        {1: "N", 2: (30.0, 0.0, 0.0), 3: "E", 4: (120.0, 0.0, 0.0), 9: "V"},  # GPSStatus void
        {1: "N", 2: (30.0, 0.0, 0.0)},  # latitude alone
    ],
    ids=["zero", "zero-denominator", "out-of-range", "void", "lat-only"],
)
def test_unusable_gps_is_no_location(gps):
    facts = _raw(gps=gps)
    assert (facts.lat, facts.lon) == (None, None)


@pytest.mark.parametrize("stamp", ["    :  :     :  :  ", "0000:00:00 00:00:00", "yesterday"])
def test_blank_or_garbage_times_are_no_time(stamp):
    assert _raw(sub={0x9003: stamp}).taken_at is None


def test_digitized_time_is_the_fallback():
    facts = _raw(sub={0x9004: "2026:05:01 10:00:00", 0x9012: "+08:00"})
    assert facts.taken_at == datetime(2026, 5, 1, 10, tzinfo=timezone(timedelta(hours=8)))


@pytest.mark.parametrize("value", [0, 9, 300])
def test_impossible_orientation_is_upright(value):
    assert _raw(orientation=value).orientation == 1


def test_a_broken_offset_falls_back_to_the_configured_zone():
    facts = _raw(sub={0x9003: "2026:05:01 10:00:00", 0x9011: "+99:00"})
    assert facts.taken_at == datetime(2026, 5, 1, 10, tzinfo=SHANGHAI)
