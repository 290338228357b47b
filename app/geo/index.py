"""The zone index: which zones of every layer hold a point, and so whose problem it is.

Built once from every zone (shapely 2 STRtree over prepared polygons in lon/lat), then read by any number of
threads. Rules, in order:
- a point inside (or on the edge of) zones matches, in each layer, the smallest of them (overlaps inside a layer
  resolve to the most specific zone), with distance 0;
- a point outside every zone snaps to the single nearest zone within the tolerance (snap_m, widened by a worse
  GPS accuracy up to snap_max_m), with its distance;
- the responsible unit is that of the match in the first layer of the precedence.
Roads given as centre-lines are matched as their buffer of half their width, computed in metres. Distances are
in metres in a transverse Mercator frame centred on the zones (see MetricFrame).
"""

import math
import threading
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from app.geo.geojson import DEFAULT_ROAD_WIDTH_M, LINEAR
from app.geo.grid import CellGrid
from app.geo.layers import DEFAULT_PRECEDENCE, LAYERS
from app.geo.metric import MetricFrame, degrees_around

CHUNK = 1 << 18  # points per vectorized pass of locate_many: bounds the temporary arrays


@dataclass(frozen=True, slots=True)
class ZoneShape:
    """A zone as the index sees it: its WGS-84 geometry and who owns it."""

    zone_id: int
    layer: str
    code: str
    name: str
    unit: str  # unit code
    unit_id: int
    geometry: BaseGeometry  # (Multi)Polygon, or a road's (Multi)LineString
    width_m: float | None = None  # a centre-line's full width


@dataclass(frozen=True, slots=True)
class Match:
    """One zone a point falls in (distance_m 0) or was snapped to (its distance in metres)."""

    layer: str
    code: str
    name: str
    unit: str
    unit_id: int
    zone_id: int
    distance_m: float


@dataclass(frozen=True, slots=True)
class Location:
    """Where a WGS-84 point lies: its matches in precedence order, and the unit responsible for it."""

    lon: float
    lat: float
    matches: list[Match] = field(default_factory=list)
    unit: str | None = None
    unit_id: int | None = None


@dataclass(frozen=True, slots=True)
class LocateRules:
    """The configurable part of locating: layer precedence and snapping tolerances (metres)."""

    precedence: tuple[str, ...] = tuple(DEFAULT_PRECEDENCE)
    snap_m: float = 30.0
    snap_max_m: float = 100.0

    def tolerance_m(self, accuracy_m: float | None = None) -> float:
        """snap_m, or the phone's accuracy when that is worse, but never beyond snap_max_m."""
        if accuracy_m is None or not math.isfinite(accuracy_m) or accuracy_m <= self.snap_m:
            return self.snap_m
        return min(accuracy_m, max(self.snap_m, self.snap_max_m))

    def tolerances_m(self, accuracy_m: NDArray[np.float64] | None, n: int) -> NDArray[np.float64]:
        if accuracy_m is None:
            return np.full(n, self.snap_m)
        acc = np.where(np.isfinite(accuracy_m), accuracy_m, 0.0)
        return np.clip(acc, self.snap_m, max(self.snap_m, self.snap_max_m))


def layer_order(precedence: Sequence[str], present: AbstractSet[str] = frozenset()) -> tuple[str, ...]:
    """Every layer, most specific first: the precedence, then the other known layers, then unknown ones."""
    rest = [layer for layer in LAYERS if layer not in precedence]
    extra = sorted(present - set(precedence) - set(LAYERS))
    return (*precedence, *rest, *extra)


@dataclass(frozen=True)
class BulkLocation:
    """locate_many's answer: per point and layer column (index.layers) the matched zone, and the unit."""

    index: "ZoneIndex"
    lons: NDArray[np.float64]
    lats: NDArray[np.float64]
    zone: NDArray[np.int32]  # (n, layers): position of the zone in the index, -1 for none
    distance_m: NDArray[np.float64]  # (n, layers): 0 inside, metres when snapped, NaN for none
    unit_id: NDArray[np.int64]  # (n,): the responsible unit's id, -1 for none

    def __len__(self) -> int:
        return len(self.unit_id)

    @property
    def zone_id(self) -> NDArray[np.int64]:
        """(n, layers): the database id of each matched zone, -1 for none."""
        ids = self.index.zone_ids
        return np.where(self.zone >= 0, ids[np.maximum(self.zone, 0)] if len(ids) else -1, -1)

    def location(self, i: int) -> Location:
        """Point i as a Location, the same as ZoneIndex.locate gives."""
        row = self.zone[i]
        found = [(int(z), float(self.distance_m[i, col])) for col, z in enumerate(row) if z >= 0]
        return self.index.location_of(float(self.lons[i]), float(self.lats[i]), found)


class ZoneIndex:
    """Every zone of every layer, ready to locate points: one at a time (locate) or by the million."""

    def __init__(self, shapes: Sequence[ZoneShape], rules: LocateRules | None = None):
        self.rules = rules or LocateRules()
        self.layers = layer_order(self.rules.precedence, {s.layer for s in shapes})
        column = {layer: i for i, layer in enumerate(self.layers)}
        self.size = len(shapes)
        self.zone_ids = np.array([s.zone_id for s in shapes], dtype=np.int64)
        self.unit_ids = np.array([s.unit_id for s in shapes], dtype=np.int64)
        self._column = np.array([column[s.layer] for s in shapes], dtype=np.int64)
        self._meta = [(s.layer, s.code, s.name, s.unit, s.unit_id, s.zone_id) for s in shapes]
        raw = np.array([s.geometry for s in shapes] or [], dtype=object)
        self.frame = MetricFrame.around(tuple(shapely.total_bounds(raw)) if self.size else None)
        self._metric = self.frame.to_metric(raw) if self.size else raw
        self._areas = raw.copy()
        lines = np.array([s.geometry.geom_type in LINEAR for s in shapes], dtype=bool)
        if lines.any():  # a road centre-line counts as its carriageway: half its width either side, in metres
            half = np.array([(s.width_m or DEFAULT_ROAD_WIDTH_M) / 2 for s in shapes])[lines]
            self._metric[lines] = shapely.buffer(self._metric[lines], half, quad_segs=8)
            self._areas[lines] = self.frame.to_lonlat(self._metric[lines])
        self.area_m2 = shapely.area(self._metric).astype(np.float64) if self.size else np.zeros(0)
        # the smallest zone wins an overlap; equal areas fall to the older (lower id) zone, so ties are stable
        by_size = np.lexsort((self.zone_ids, self.area_m2)) if self.size else np.zeros(0, dtype=np.int64)
        self._rank = np.empty(self.size, dtype=np.int64)
        self._rank[by_size] = np.arange(self.size)
        self._by_rank = by_size
        self._rank_list = self._rank.tolist()
        self._column_list = self._column.tolist()
        shapely.prepare(self._areas)
        bounds: NDArray[np.float64] = (
            np.ascontiguousarray(shapely.bounds(self._areas).T) if self.size else np.zeros((4, 0))
        )
        self._min_x, self._min_y, self._max_x, self._max_y = bounds
        self._extent = tuple(shapely.total_bounds(self._areas)) if self.size else (np.nan,) * 4
        self._tree = STRtree(self._areas)
        self._zone_shift = max(0, (self.size - 1).bit_length() - 16)
        self._grid: CellGrid | None = None  # made by the first locate_many: only bulk work needs it
        self._grid_lock = threading.Lock()

    # ---- one point ----

    def locate(self, lon: float, lat: float, accuracy_m: float | None = None) -> Location:
        """The zones holding (lon, lat) in WGS-84, or the nearest within the tolerance, and the unit."""
        if not self.size or not (math.isfinite(lon) and math.isfinite(lat)):
            return Location(lon, lat)
        candidates = self._tree.query(shapely.Point(lon, lat))
        if len(candidates):
            inside = candidates[shapely.intersects_xy(self._areas[candidates], lon, lat)]
            if len(inside):
                best: dict[int, int] = {}
                for z in inside.tolist():
                    col = self._column_list[z]
                    if col not in best or self._rank_list[z] < self._rank_list[best[col]]:
                        best[col] = z
                return self.location_of(lon, lat, [(best[col], 0.0) for col in sorted(best)])
        return self._snap_one(lon, lat, self.rules.tolerance_m(accuracy_m))

    def _snap_one(self, lon: float, lat: float, tolerance: float) -> Location:
        if tolerance <= 0:
            return Location(lon, lat)
        dlon, dlat = degrees_around(lat, tolerance)
        near = self._tree.query(shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat))
        if not len(near):
            return Location(lon, lat)
        distances = shapely.distance(self._metric[near], shapely.Point(*self.frame.point(lon, lat)))
        d, _, _, z = min(
            zip(
                distances.tolist(),
                self._column[near].tolist(),
                self._rank[near].tolist(),
                near.tolist(),
                strict=True,
            )
        )
        return self.location_of(lon, lat, [(z, d)] if d <= tolerance else [])

    def location_of(self, lon: float, lat: float, found: list[tuple[int, float]]) -> Location:
        """A Location from (zone position, distance) pairs already in precedence order."""
        matches = [Match(*self._meta[z], d) for z, d in found]
        if not matches:
            return Location(lon, lat)
        return Location(lon, lat, matches, matches[0].unit, matches[0].unit_id)

    # ---- many points ----

    @property
    def grid(self) -> "CellGrid":
        """The cell grid of locate_many, made on first use (a few seconds for 100,000 zones)."""
        if self._grid is None:
            with self._grid_lock:
                if self._grid is None:
                    self._grid = CellGrid(self._areas)
        return self._grid

    def locate_many(
        self, lons: ArrayLike, lats: ArrayLike, accuracy_m: ArrayLike | None = None
    ) -> BulkLocation:
        """locate for arrays of WGS-84 points, vectorized: the same answers, at millions of points a second."""
        lons = np.ascontiguousarray(lons, dtype=np.float64).ravel()
        lats = np.ascontiguousarray(lats, dtype=np.float64).ravel()
        if lons.shape != lats.shape:
            raise ValueError("lons and lats differ in length")
        acc = (
            None
            if accuracy_m is None
            else np.broadcast_to(np.asarray(accuracy_m, dtype=np.float64), lons.shape)
        )
        n, width = len(lons), len(self.layers)
        zone = np.full((n, width), -1, dtype=np.int32)
        distance = np.full((n, width), np.nan)
        unit = np.full(n, -1, dtype=np.int64)
        if self.size:
            for start in range(0, n, CHUNK):
                part = slice(start, min(start + CHUNK, n))
                self._contain_many(lons[part], lats[part], zone[part], distance[part], unit[part])
            lost = np.flatnonzero(unit < 0)
            if len(lost):
                self._snap_many(lons, lats, lost, acc, zone, distance, unit)
        return BulkLocation(self, lons, lats, zone, distance, unit)

    def _contain_many(
        self,
        xs: NDArray[Any],
        ys: NDArray[Any],
        zone: NDArray[Any],
        distance: NDArray[Any],
        unit: NDArray[Any],
    ) -> None:
        points, zones, sure = self.grid.candidates(xs, ys)
        unsure = ~sure
        maybe_points, maybe_zones = points[unsure], zones[unsure]
        px, py = xs[maybe_points], ys[maybe_points]
        # the exact test only where the zone's own bounding box holds the point: numpy is cheaper than GEOS
        near = (px >= self._min_x[maybe_zones]) & (px <= self._max_x[maybe_zones])
        near &= (py >= self._min_y[maybe_zones]) & (py <= self._max_y[maybe_zones])
        maybe_points, maybe_zones, px, py = maybe_points[near], maybe_zones[near], px[near], py[near]
        # test zone by zone, not point by point: GEOS then finds each prepared polygon still in the CPU cache
        # (twice as fast). A 16-bit key of the zone number lets numpy use its linear-time radix sort.
        order = np.argsort((maybe_zones >> self._zone_shift).astype(np.uint16), kind="stable")
        hit = np.zeros(len(order), dtype=bool)
        hit[order[shapely.intersects_xy(self._areas[maybe_zones[order]], px[order], py[order])]] = True
        points = np.concatenate([points[sure], maybe_points[hit]]).astype(np.int64)
        zones = np.concatenate([zones[sure], maybe_zones[hit]])
        if not len(points):
            return
        # per (point, layer) keep the smallest zone: sort one int64 key of (point, layer, size rank); layers
        # are numbered in precedence order, so a point's first key is also the zone that names its unit
        width = len(self.layers)
        key = np.sort((points * width + self._column[zones]) * self.size + self._rank[zones], kind="stable")
        cell = key // self.size
        first = np.ones(len(key), dtype=bool)
        first[1:] = cell[1:] != cell[:-1]
        cell, best = cell[first], self._by_rank[key[first] % self.size]
        zone.flat[cell] = best
        distance.flat[cell] = 0.0
        point = cell // width
        lead = np.ones(len(cell), dtype=bool)
        lead[1:] = point[1:] != point[:-1]
        unit[point[lead]] = self.unit_ids[best[lead]]

    def _snap_many(
        self,
        lons: NDArray[Any],
        lats: NDArray[Any],
        lost: NDArray[Any],
        acc: NDArray[Any] | None,
        zone: NDArray[Any],
        distance: NDArray[Any],
        unit: NDArray[Any],
    ) -> None:
        tolerance = self.rules.tolerances_m(None if acc is None else acc[lost], len(lost))
        x, y = lons[lost], lats[lost]
        dlon, dlat = degrees_around(np.clip(y, -90, 90), tolerance)
        west, south, east, north = self._extent
        with np.errstate(invalid="ignore"):  # NaN coordinates compare False: never within reach
            reach = (x >= west - dlon) & (x <= east + dlon) & (y >= south - dlat) & (y <= north + dlat)
        if (
            reach.any()
        ):  # of those, the ones whose reach meets some zone's bounding box (cheap, from the grid)
            reach[reach] = self.grid.any_within(
                x[reach] - dlon[reach], y[reach] - dlat[reach], x[reach] + dlon[reach], y[reach] + dlat[reach]
            )
        if not reach.any():
            return
        lost, x, y, dlon, dlat, tolerance = (a[reach] for a in (lost, x, y, dlon, dlat, tolerance))
        which, near = self._tree.query(shapely.box(x - dlon, y - dlat, x + dlon, y + dlat))
        if not len(which):
            return
        mx, my = self.frame.forward(x, y)
        d = shapely.distance(self._metric[near], shapely.points(mx[which], my[which]))
        keep = d <= tolerance[which]
        which, near, d = which[keep], near[keep], d[keep]
        order = np.lexsort((self._rank[near], self._column[near], d, which))
        which, near, d = which[order], near[order], d[order]
        first = np.ones(len(which), dtype=bool)
        first[1:] = which[1:] != which[:-1]
        rows, cols = lost[which[first]], self._column[near[first]]
        zone[rows, cols] = near[first]
        distance[rows, cols] = d[first]
        unit[rows] = self.unit_ids[near[first]]
