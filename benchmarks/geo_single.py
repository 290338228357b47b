"""Single locate among 100,000 zones, in-process: ZoneIndex.locate as the issue workflow calls it.

Target: <= 50 µs median. Baselines measured in the same run: the vectorized locate_many called with one point
(what one might do instead of a scalar path), and a brute-force test of every zone (no spatial index), each on a
sample of the same points.

    .venv/bin/python -m benchmarks.geo_single
"""

import os
import time

import numpy as np
import shapely

from app.geo import ZoneIndex
from benchmarks.geo_city import city, points

ZONES = 100_000
POINTS = 20_000
TARGET_US = 50.0


def per_call_us(fn, lons, lats) -> np.ndarray:
    out = np.empty(len(lons))
    for k, (lon, lat) in enumerate(zip(lons.tolist(), lats.tolist(), strict=True)):
        start = time.perf_counter_ns()
        fn(lon, lat)
        out[k] = (time.perf_counter_ns() - start) / 1000
    return out


def main() -> None:
    shapes, extent = city(ZONES)
    start = time.perf_counter()
    index = ZoneIndex(shapes)
    print(f"{len(shapes):,} zones, index built in {time.perf_counter() - start:.2f} s")
    lons, lats = points(POINTS, extent, seed=5)
    per_call_us(index.locate, lons[:2000], lats[:2000])  # warm up
    us = per_call_us(index.locate, lons, lats)
    kinds = []
    for lon, lat in zip(lons.tolist(), lats.tolist(), strict=True):
        found = index.locate(lon, lat)
        kinds.append("none" if not found.matches else "snapped" if found.matches[0].distance_m else "inside")
    kinds = np.array(kinds)
    median = float(np.median(us))
    print(
        f"locate: median {median:.1f} µs, p90 {np.percentile(us, 90):.1f}, p99 {np.percentile(us, 99):.1f} "
        f"over {POINTS:,} points"
    )
    for kind in ("inside", "snapped", "none"):
        share = np.mean(kinds == kind)
        if share:
            print(f"  {kind:8} {share:6.1%}  median {np.median(us[kinds == kind]):.1f} µs")
    one = per_call_us(lambda lon, lat: index.locate_many([lon], [lat]), lons[:2000], lats[:2000])
    print(f"baseline, locate_many with one point: median {np.median(one):.1f} µs")
    areas = index._areas

    def brute(lon, lat):
        return np.flatnonzero(shapely.intersects_xy(areas, lon, lat))

    brute_us = per_call_us(brute, lons[:200], lats[:200])
    print(f"baseline, every zone tested (no index, vectorized): median {np.median(brute_us):.0f} µs")
    print(
        f"ratios: {np.median(one) / median:.1f}x faster than locate_many per point, "
        f"{np.median(brute_us) / median:.0f}x faster than no index; "
        f"target <= {TARGET_US:.0f} µs: {TARGET_US / median:.2f}x ({'met' if median <= TARGET_US else 'MISSED'})"
    )
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (shared; timings are noisy)"
    )


if __name__ == "__main__":
    main()
