"""China's three coordinate systems: WGS-84 (GPS, EXIF), GCJ-02 (AMap, Tencent, WeChat) and BD-09 (Baidu).

The GCJ-02 forward transform is the published one; it has no closed-form inverse, so the inverse iterates.
Points outside China pass through unchanged, as the convention is. Scalar functions serve one point (a phone's
report); the `*_many` functions do the same with numpy over arrays (an import of zones or of history).
"""

import math
from collections.abc import Callable
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

A = 6378245.0  # the Krasovsky semi-major axis used by the published GCJ-02 code
EE = 0.00669342162296594323
X_PI = math.pi * 3000.0 / 180.0


class Crs(StrEnum):
    wgs84 = "wgs84"
    gcj02 = "gcj02"
    bd09 = "bd09"


def in_china(lon: float, lat: float) -> bool:
    """The rough box inside which GCJ-02 is applied."""
    return 72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if not in_china(lon, lat):
        return lon, lat
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def _invert(
    forward: Callable[[float, float], tuple[float, float]],
    lon: float,
    lat: float,
    start: tuple[float, float],
    tolerance_deg: float,
    max_steps: int,
) -> tuple[float, float]:
    """The point that `forward` maps to (lon, lat), by fixed-point iteration from `start`."""
    x, y = start
    for _ in range(max_steps):
        fx, fy = forward(x, y)
        dx, dy = fx - lon, fy - lat
        x, y = x - dx, y - dy
        if abs(dx) < tolerance_deg and abs(dy) < tolerance_deg:
            break
    return x, y


def gcj02_to_wgs84(
    lon: float, lat: float, tolerance_deg: float = 1e-9, max_steps: int = 30
) -> tuple[float, float]:
    """The inverse of wgs84_to_gcj02 by fixed-point iteration (1e-9 degrees is about 0.1 mm)."""
    if not in_china(lon, lat):
        return lon, lat
    return _invert(wgs84_to_gcj02, lon, lat, (lon, lat), tolerance_deg, max_steps)


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    if not in_china(lon, lat):
        return lon, lat
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def _bd09_to_gcj02_approx(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_gcj02(
    lon: float, lat: float, tolerance_deg: float = 1e-10, max_steps: int = 5
) -> tuple[float, float]:
    """The published approximate inverse (off by up to ~0.2 m), refined against gcj02_to_bd09."""
    if not in_china(lon, lat):
        return lon, lat
    return _invert(gcj02_to_bd09, lon, lat, _bd09_to_gcj02_approx(lon, lat), tolerance_deg, max_steps)


def to_wgs84(lon: float, lat: float, crs: Crs | str = Crs.wgs84) -> tuple[float, float]:
    """(lon, lat) in `crs` -> (lon, lat) in WGS-84."""
    crs = Crs(crs)
    if crs is Crs.gcj02:
        return gcj02_to_wgs84(lon, lat)
    if crs is Crs.bd09:
        return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))
    return lon, lat


def from_wgs84(lon: float, lat: float, crs: Crs | str) -> tuple[float, float]:
    """(lon, lat) in WGS-84 -> (lon, lat) in `crs`."""
    crs = Crs(crs)
    if crs is Crs.gcj02:
        return wgs84_to_gcj02(lon, lat)
    if crs is Crs.bd09:
        return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))
    return lon, lat


# ---- the same over numpy arrays ----

Coords = NDArray[np.float64]


def in_china_many(lons: Coords, lats: Coords) -> NDArray[np.bool_]:
    return (lons >= 72.004) & (lons <= 137.8347) & (lats >= 0.8293) & (lats <= 55.8271)


def _gcj02_offset_many(lons: Coords, lats: Coords) -> tuple[Coords, Coords]:
    x, y = lons - 105.0, lats - 35.0
    sx = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sx + common
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sx + common
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    radlat = lats / 180.0 * np.pi
    magic = 1 - EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02_many(lons: ArrayLike, lats: ArrayLike) -> tuple[Coords, Coords]:
    lons, lats = np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)
    dlon, dlat = _gcj02_offset_many(lons, lats)
    inside = in_china_many(lons, lats)
    return np.where(inside, lons + dlon, lons), np.where(inside, lats + dlat, lats)


def gcj02_to_wgs84_many(
    lons: ArrayLike, lats: ArrayLike, tolerance_deg: float = 1e-9, max_steps: int = 30
) -> tuple[Coords, Coords]:
    lons, lats = np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)
    inside = in_china_many(lons, lats)
    out_lons, out_lats = lons.copy(), lats.copy()
    # iterate only the points inside China: the rest pass through, and must not hold up convergence
    glons, glats = lons[inside], lats[inside]
    wlons, wlats = glons.copy(), glats.copy()
    for _ in range(max_steps):
        dlon, dlat = _gcj02_offset_many(wlons, wlats)
        elon, elat = wlons + dlon - glons, wlats + dlat - glats
        wlons, wlats = wlons - elon, wlats - elat
        if np.all(np.abs(elon) < tolerance_deg) and np.all(np.abs(elat) < tolerance_deg):
            break
    out_lons[inside], out_lats[inside] = wlons, wlats
    return out_lons, out_lats


def gcj02_to_bd09_many(lons: ArrayLike, lats: ArrayLike) -> tuple[Coords, Coords]:
    lons, lats = np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)
    z = np.sqrt(lons * lons + lats * lats) + 0.00002 * np.sin(lats * X_PI)
    theta = np.arctan2(lats, lons) + 0.000003 * np.cos(lons * X_PI)
    inside = in_china_many(lons, lats)
    return np.where(inside, z * np.cos(theta) + 0.0065, lons), np.where(
        inside, z * np.sin(theta) + 0.006, lats
    )


def bd09_to_gcj02_many(lons: ArrayLike, lats: ArrayLike, steps: int = 4) -> tuple[Coords, Coords]:
    lons, lats = np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)
    x, y = lons - 0.0065, lats - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * X_PI)
    glons, glats = z * np.cos(theta), z * np.sin(theta)
    for _ in range(steps):  # refine the approximate inverse, as bd09_to_gcj02 does
        blons, blats = gcj02_to_bd09_many(glons, glats)
        glons, glats = glons - (blons - lons), glats - (blats - lats)
    inside = in_china_many(lons, lats)
    return np.where(inside, glons, lons), np.where(inside, glats, lats)


def to_wgs84_many(lons: ArrayLike, lats: ArrayLike, crs: Crs | str = Crs.wgs84) -> tuple[Coords, Coords]:
    """Arrays of (lon, lat) in `crs` -> arrays in WGS-84."""
    crs = Crs(crs)
    if crs is Crs.gcj02:
        return gcj02_to_wgs84_many(lons, lats)
    if crs is Crs.bd09:
        return gcj02_to_wgs84_many(*bd09_to_gcj02_many(lons, lats))
    return np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)


def from_wgs84_many(lons: ArrayLike, lats: ArrayLike, crs: Crs | str) -> tuple[Coords, Coords]:
    """Arrays of (lon, lat) in WGS-84 -> arrays in `crs`."""
    crs = Crs(crs)
    if crs is Crs.gcj02:
        return wgs84_to_gcj02_many(lons, lats)
    if crs is Crs.bd09:
        return gcj02_to_bd09_many(*wgs84_to_gcj02_many(lons, lats))
    return np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)
