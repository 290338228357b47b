"""How far a point lies from a zone's geometry, in metres (0 inside)."""

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from app.geo.metric import distance_m


def distance_to_m(geom: BaseGeometry, lon: float, lat: float) -> float:
    """0 when the WGS-84 point is inside (or on) the geometry, else the geodesic distance to its nearest point."""
    point = Point(lon, lat)
    if geom.covers(point):
        return 0.0
    nearest = nearest_points(geom, point)[0]
    return distance_m(lon, lat, nearest.x, nearest.y)
