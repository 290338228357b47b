"""A synthetic city of zones in every layer, for the geo benchmarks (deterministic, built with numpy)."""

import math

import numpy as np
import shapely

from app.geo import ZoneIndex, ZoneShape

LON0, LAT0 = 113.0, 28.2
M_PER_DEG_LAT = 110_822.7  # WGS-84 at 28.2° N
M_PER_DEG_LON = 98_179.7


def _rects(rng, n, x1, y1, w, h, angle_max) -> np.ndarray:
    """n rotated rectangles (polygons in lon/lat) with centres in [0, x1] x [0, y1] metres."""
    cx, cy = rng.uniform(0, x1, n), rng.uniform(0, y1, n)
    w, h = rng.uniform(*w, n) / 2, rng.uniform(*h, n) / 2
    a = np.radians(rng.uniform(0, angle_max, n))
    corners = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)], dtype=float)
    dx, dy = corners[None, :, 0] * w[:, None], corners[None, :, 1] * h[:, None]
    x = cx[:, None] + dx * np.cos(a)[:, None] - dy * np.sin(a)[:, None]
    y = cy[:, None] + dx * np.sin(a)[:, None] + dy * np.cos(a)[:, None]
    return shapely.polygons(np.stack([LON0 + x / M_PER_DEG_LON, LAT0 + y / M_PER_DEG_LAT], axis=-1))


def _grid(size_m, nx, ny) -> np.ndarray:
    i, j = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    x0, y0 = (i.ravel() * size_m) / M_PER_DEG_LON + LON0, (j.ravel() * size_m) / M_PER_DEG_LAT + LAT0
    return shapely.box(x0, y0, x0 + size_m / M_PER_DEG_LON, y0 + size_m / M_PER_DEG_LAT)


def _roads(rng, n, x1, y1) -> tuple[np.ndarray, np.ndarray]:
    x, y = rng.uniform(0, x1, n), rng.uniform(0, y1, n)
    length, east = rng.uniform(200, 800, n), rng.random(n) < 0.5
    x2, y2 = np.where(east, x + length, x), np.where(east, y, y + length)
    coords = np.stack(
        [
            [LON0 + x / M_PER_DEG_LON, LAT0 + y / M_PER_DEG_LAT],
            [LON0 + x2 / M_PER_DEG_LON, LAT0 + y2 / M_PER_DEG_LAT],
        ]
    )
    lines = shapely.linestrings(np.transpose(coords, (2, 0, 1)))
    return lines, rng.choice([8.0, 12.0, 24.0, 36.0], n)


def city(zones: int, seed: int = 20261125) -> tuple[list[ZoneShape], tuple[float, float, float, float]]:
    """About `zones` zones over a square city sized to them, and its extent (west, south, east, north)."""
    rng = np.random.default_rng(seed)
    side = 10_000 * math.sqrt(zones / 10_000)  # 10 km for 10k zones, ~32 km for 100k
    cells = max(1, round(side / 400))
    layers: list[tuple[str, np.ndarray, np.ndarray | None]] = [
        ("grid", _grid(side / cells, cells, cells), None)
    ]
    left = zones - cells * cells
    share = {"compound": 0.15, "building": 0.55, "site": 0.12, "road": 0.08, "frontage": 0.10}
    counts = {k: int(left * v) for k, v in share.items()}
    counts["building"] += left - sum(counts.values())
    layers.append(("compound", _rects(rng, counts["compound"], side, side, (120, 250), (100, 200), 90), None))
    layers.append(("building", _rects(rng, counts["building"], side, side, (15, 30), (30, 60), 90), None))
    layers.append(("site", _rects(rng, counts["site"], side, side, (60, 220), (50, 160), 30), None))
    layers.append(("road", *_roads(rng, counts["road"], side, side)))
    layers.append(("frontage", _rects(rng, counts["frontage"], side, side, (30, 60), (10, 14), 0), None))
    shapes, zone_id = [], 0
    for layer, geoms, widths in layers:
        for k, g in enumerate(geoms):
            zone_id += 1
            unit = zone_id % 97 + 1
            width = float(widths[k]) if widths is not None else None
            shapes.append(
                ZoneShape(
                    zone_id, layer, f"{layer[0].upper()}{k}", f"{layer} {k}", f"u{unit}", unit, g, width
                )
            )
    extent = (LON0, LAT0, LON0 + side / M_PER_DEG_LON, LAT0 + side / M_PER_DEG_LAT)
    return shapes, extent


def points(n: int, extent, margin: float = 0.04, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """n uniform points over the extent widened by `margin` of its size on each side (some fall outside)."""
    rng = np.random.default_rng(seed)
    west, south, east, north = extent
    mx, my = (east - west) * margin, (north - south) * margin
    return rng.uniform(west - mx, east + mx, n), rng.uniform(south - my, north + my, n)


def build(zones: int) -> tuple[ZoneIndex, tuple[float, float, float, float]]:
    shapes, extent = city(zones)
    return ZoneIndex(shapes), extent
