"""The cell grid behind ZoneIndex.locate_many: which zones each square cell of the map may hold."""

import math
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray


class CellGrid:
    """Square cells over the zones' extent, for locate_many: a point's candidates are the zones whose bounding
    box meets its cell, listed once, when locate_many first runs (numpy ranges over each zone's bounding box). A
    million points then need no shapely Point each (making those alone costs more than all the rest), and a
    cell lying wholly inside a zone spares its points the point-in-polygon test for that zone."""

    MAX_CELLS = 1 << 21
    # the cell side as a share of the mean spacing of zones: ~8 cells a zone, few candidates a point
    FACTOR = 0.35

    def __init__(self, geoms: NDArray[Any]) -> None:
        min_x, min_y, max_x, max_y = shapely.bounds(geoms).T
        self.x0, self.y0 = float(min_x.min()), float(min_y.min())
        width, height = float(max_x.max()) - self.x0, float(max_y.max()) - self.y0
        area = max(width * height, 1e-18)
        size = max(self.FACTOR * math.sqrt(area / len(geoms)), math.sqrt(area / self.MAX_CELLS), 1e-9)
        self.size = size
        self.nx, self.ny = int(width // size) + 1, int(height // size) + 1
        # every (cell, zone) pair whose boxes meet: each zone's block of cells, enumerated with numpy
        cx0, cx1 = self._index(min_x, self.x0, self.nx), self._index(max_x, self.x0, self.nx)
        cy0, cy1 = self._index(min_y, self.y0, self.ny), self._index(max_y, self.y0, self.ny)
        tall = cy1 - cy0 + 1
        per_zone = (cx1 - cx0 + 1) * tall
        zone_of = np.repeat(np.arange(len(geoms), dtype=np.int32), per_zone)
        k = np.arange(len(zone_of)) - np.repeat(np.cumsum(per_zone) - per_zone, per_zone)
        cx = cx0[zone_of] + k // tall[zone_of]
        cy = cy0[zone_of] + k % tall[zone_of]
        cell_of = cx * self.ny + cy
        order = np.argsort(cell_of, kind="stable")
        cell_of, self.zones = cell_of[order], zone_of[order]
        self.count = np.bincount(cell_of, minlength=self.nx * self.ny)
        self._summed: NDArray[np.int64] | None = None
        self.start = np.cumsum(self.count) - self.count
        # cells wholly inside a zone: only where the zone's box holds the whole cell, then tested exactly
        lo_x, lo_y = self.x0 + (cell_of // self.ny) * size, self.y0 + (cell_of % self.ny) * size
        z = self.zones
        maybe = np.flatnonzero(
            (min_x[z] <= lo_x) & (min_y[z] <= lo_y) & (max_x[z] >= lo_x + size) & (max_y[z] >= lo_y + size)
        )
        self.full = np.zeros(len(z), dtype=bool)
        if len(maybe):
            boxes = shapely.box(lo_x[maybe], lo_y[maybe], lo_x[maybe] + size, lo_y[maybe] + size)
            self.full[maybe] = shapely.covers(geoms[z[maybe]], boxes)

    def any_within(
        self, west: NDArray[Any], south: NDArray[Any], east: NDArray[Any], north: NDArray[Any]
    ) -> NDArray[np.bool_]:
        """Whether any zone's bounding box meets each of these boxes' cells (a summed-area table of counts)."""
        if self._summed is None:
            summed = np.zeros((self.nx + 1, self.ny + 1), dtype=np.int64)
            summed[1:, 1:] = self.count.reshape(self.nx, self.ny).cumsum(axis=0).cumsum(axis=1)
            self._summed = summed
        x0, x1 = self._index(west, self.x0, self.nx), self._index(east, self.x0, self.nx) + 1
        y0, y1 = self._index(south, self.y0, self.ny), self._index(north, self.y0, self.ny) + 1
        s = self._summed
        return (s[x1, y1] - s[x0, y1] - s[x1, y0] + s[x0, y0]) > 0

    def _index(self, v: NDArray[Any], origin: float, n: int) -> NDArray[np.int64]:
        return np.clip(np.floor((v - origin) / self.size), 0, n - 1).astype(np.int64)

    def candidates(
        self, xs: NDArray[Any], ys: NDArray[Any]
    ) -> tuple[NDArray[np.int32], NDArray[np.int64], NDArray[np.bool_]]:
        """(point position, zone position) pairs whose zone's bounding box meets the point's cell, and whether
        that cell lies wholly inside the zone (so the point does too)."""
        with np.errstate(invalid="ignore"):
            cx = np.floor((xs - self.x0) / self.size)
            cy = np.floor((ys - self.y0) / self.size)
            inside = np.flatnonzero((cx >= 0) & (cx < self.nx) & (cy >= 0) & (cy < self.ny))
        cell = cx[inside].astype(np.int64) * self.ny + cy[inside].astype(np.int64)
        count = self.count[cell]
        points = np.repeat(inside.astype(np.int32), count)
        # position of each pair in self.zones: its cell's start plus its rank among its point's candidates
        at = np.arange(len(points)) + np.repeat(self.start[cell] - (np.cumsum(count) - count), count)
        return points, self.zones[at], self.full[at]
