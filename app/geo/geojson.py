"""Reading a zone layer from GeoJSON (RFC 7946): every feature checked, every problem named, all or nothing."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from app.errors import InvalidInput
from app.geo.crs import Crs, to_wgs84_many
from app.geo.layers import ROAD_LAYER
from app.models.text import control_character

DEFAULT_ROAD_WIDTH_M = 10.0
MAX_ROAD_WIDTH_M = 500.0
POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
MAX_PROBLEMS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class ZoneFeature:
    """One valid feature of a zone file, its geometry in WGS-84."""

    index: int
    code: str
    name: str
    unit: str
    category: str | None
    width_m: float | None  # a road centre-line's full width; None for an area
    geometry: BaseGeometry


class ZoneFileError(InvalidInput):
    """A zone file that cannot be imported; the detail lists the problems, each naming its feature."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        shown = "; ".join(self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        tail = f"; and {more} more" if more > 0 else ""
        super().__init__(f"nothing was imported: {shown}{tail}")


def feature_label(index: int, code: str | int | None) -> str:
    return f"feature {index} (code {code!r})" if code else f"feature {index}"


class _Problem(Exception):
    """One reason a feature is refused."""


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _position(p: Any) -> list[float]:
    if not isinstance(p, list | tuple) or len(p) < 2 or not all(_number(v) for v in p[:3]):
        raise _Problem(f"position {p!r} is not [lon, lat]")
    lon, lat = float(p[0]), float(p[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise _Problem(f"position {p!r} is not a finite number pair")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        hint = (
            " (GeoJSON is [lon, lat]: are they swapped?)" if -180 <= lat <= 180 and -90 <= lon <= 90 else ""
        )
        raise _Problem(f"position [{lon}, {lat}] is out of range: lon must be -180..180, lat -90..90{hint}")
    return [lon, lat]


def _line(coords: Any, what: str) -> list[list[float]]:
    if not isinstance(coords, list | tuple) or not coords:
        raise _Problem(f"{what} is empty")
    line = [_position(p) for p in coords]
    if len(line) < 2 or all(p == line[0] for p in line):
        raise _Problem(f"{what} needs at least two distinct positions")
    return line


def _ring(coords: Any, what: str) -> list[list[float]]:
    ring = _line(coords, what)
    if ring[0] != ring[-1]:
        raise _Problem(f"{what} is not closed: its first and last positions differ")
    if len(ring) < 4:
        raise _Problem(f"{what} needs at least four positions (a closed triangle)")
    return ring


def _polygon(coords: Any, what: str) -> list[list[list[float]]]:
    if not isinstance(coords, list | tuple) or not coords:
        raise _Problem(f"{what} is empty")
    return [_ring(r, f"{'outer ring' if i == 0 else f'hole {i}'} of {what}") for i, r in enumerate(coords)]


def _many(coords: Any, what: str, part: Callable[[Any, str], Any]) -> list[Any]:
    if not isinstance(coords, list | tuple) or not coords:
        raise _Problem(f"{what} is empty")
    return [part(c, f"part {i} of the {what}") for i, c in enumerate(coords)]


def _clean_coordinates(kind: str, coords: Any) -> list[Any]:
    """Coordinates checked for shape, closure and range, reduced to 2-D."""
    if kind == "Polygon":
        return _polygon(coords, "polygon")
    if kind == "MultiPolygon":
        return _many(coords, "MultiPolygon", _polygon)
    if kind == "LineString":
        return _line(coords, "line")
    return _many(coords, "MultiLineString", _line)


def _geometry(raw: Any, layer: str) -> BaseGeometry:
    if not isinstance(raw, dict):
        raise _Problem("the geometry is missing")
    kind = raw.get("type")
    allowed = POLYGONAL + LINEAR if layer == ROAD_LAYER else POLYGONAL
    if not isinstance(kind, str) or kind not in allowed:
        lines = " (a line is allowed only in the road layer)" if kind in LINEAR else ""
        raise _Problem(
            f"geometry type {kind!r} is not allowed in layer {layer!r}: use {' or '.join(allowed)}{lines}"
        )
    geom = shape({"type": kind, "coordinates": _clean_coordinates(kind, raw.get("coordinates"))})
    _check_valid(geom)
    return geom


def _check_valid(geom: BaseGeometry, after: str = "") -> None:
    if geom.is_empty:
        raise _Problem(f"geometry is empty{after}")
    reason = shapely.is_valid_reason(geom)
    if reason != "Valid Geometry":
        where = reason.find("[")
        what, at = (reason[:where], reason[where:]) if where > 0 else (reason, "")
        at = f" at [{', '.join(at.strip('[]').split())}]" if at else ""
        raise _Problem(f"invalid geometry{after}: {what.strip().lower()}{at}")
    if geom.geom_type in POLYGONAL and geom.area <= 0:
        raise _Problem(f"polygon has no area{after}")
    if geom.geom_type in LINEAR and geom.length <= 0:
        raise _Problem(f"line has no length{after}")


@overload
def _text(props: dict[str, Any], key: str, max_len: int, required: Literal[True]) -> str: ...
@overload
def _text(props: dict[str, Any], key: str, max_len: int, required: Literal[False]) -> str | None: ...
def _text(props: dict[str, Any], key: str, max_len: int, required: bool) -> str | None:
    v = props.get(key)
    if v is None or (isinstance(v, str) and not v.strip()):
        if required:
            raise _Problem(f"property {key!r} is required")
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    if not isinstance(v, str):
        raise _Problem(f"property {key!r} must be a string, not {type(v).__name__}")
    v = v.strip()
    bad = control_character(v)
    if bad:
        raise _Problem(
            f"property {key!r} holds the control character {bad} (only tab and newline are allowed)"
        )
    if len(v) > max_len:
        raise _Problem(f"property {key!r} is longer than {max_len} characters")
    return v


def _width(props: dict[str, Any], geom: BaseGeometry) -> float | None:
    if geom.geom_type not in LINEAR:
        return None
    v = props.get("width_m")
    if v is None:
        return DEFAULT_ROAD_WIDTH_M
    if not _number(v) or not math.isfinite(v) or not 0 < v <= MAX_ROAD_WIDTH_M:
        raise _Problem(
            f"width_m must be a number of metres above 0 and at most {MAX_ROAD_WIDTH_M:g}, not {v!r}"
        )
    return float(v)


def _to_wgs84(geom: BaseGeometry, crs: Crs) -> BaseGeometry:
    if crs is Crs.wgs84:
        return geom
    converted = shapely.transform(geom, lambda xy: np.column_stack(to_wgs84_many(xy[:, 0], xy[:, 1], crs)))
    _check_valid(converted, after=f" after conversion from {crs.value}")
    return converted


def _feature(index: int, raw: Any, layer: str, crs: Crs) -> ZoneFeature:
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        raise _Problem('not a GeoJSON Feature (an object with "type": "Feature")')
    props = raw.get("properties")
    if not isinstance(props, dict):
        raise _Problem("the properties (code, name, unit) are missing")
    code = _text(props, "code", 64, required=True)
    unit = _text(props, "unit", 64, required=True)
    name = _text(props, "name", 200, required=False) or code
    category = _text(props, "category", 64, required=False)
    geom = _geometry(raw.get("geometry"), layer)
    wgs84 = _to_wgs84(geom, crs)
    if (
        wgs84.geom_type in POLYGONAL
    ):  # RFC 7946's right-hand rule: outer rings counter-clockwise, holes clockwise
        wgs84 = shapely.orient_polygons(wgs84)
    return ZoneFeature(index, code, name, unit, category, _width(props, geom), wgs84)


def parse_zone_file(data: Any, layer: str, crs: Crs | str = Crs.wgs84) -> list[ZoneFeature]:
    """The features of a FeatureCollection for `layer`, coordinates given in `crs`; ZoneFileError if any is bad."""
    crs = Crs(crs)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ZoneFileError(
            ['the body must be a GeoJSON FeatureCollection ({"type": "FeatureCollection", ...})']
        )
    raw_features = data.get("features")
    if not isinstance(raw_features, list | tuple):
        raise ZoneFileError(['the FeatureCollection has no "features" list'])
    problems: list[str] = []
    features: list[ZoneFeature] = []
    first_of: dict[str, int] = {}
    for index, raw in enumerate(raw_features):
        props = raw.get("properties") if isinstance(raw, dict) else None
        code = props.get("code") if isinstance(props, dict) else None
        try:
            feature = _feature(index, raw, layer, crs)
        except _Problem as p:
            problems.append(f"{feature_label(index, code if isinstance(code, str | int) else None)}: {p}")
            continue
        if feature.code in first_of:
            problems.append(
                f"{feature_label(index, feature.code)}: duplicate code, already used by feature {first_of[feature.code]}"
            )
            continue
        first_of[feature.code] = index
        features.append(feature)
    if problems:
        raise ZoneFileError(problems)
    return features
