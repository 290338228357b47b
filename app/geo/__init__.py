"""Geo: coordinate systems, zone validation, the zone index and locate. Pure: no HTTP, no database."""

from app.geo.crs import Crs, from_wgs84, from_wgs84_many, to_wgs84, to_wgs84_many
from app.geo.geojson import ZoneFeature, ZoneFileError, parse_zone_file
from app.geo.index import (
    BulkLocation,
    LocateRules,
    Location,
    Match,
    ZoneIndex,
    ZoneShape,
)
from app.geo.layers import DEFAULT_PRECEDENCE, LAYERS, Layer
from app.geo.metric import MetricFrame, distance_m, distances_m

__all__ = [
    "DEFAULT_PRECEDENCE",
    "LAYERS",
    "BulkLocation",
    "Crs",
    "Layer",
    "LocateRules",
    "Location",
    "Match",
    "MetricFrame",
    "ZoneFeature",
    "ZoneFileError",
    "ZoneIndex",
    "ZoneShape",
    "distance_m",
    "distances_m",
    "from_wgs84",
    "from_wgs84_many",
    "parse_zone_file",
    "to_wgs84",
    "to_wgs84_many",
]
