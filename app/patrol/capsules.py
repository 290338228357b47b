"""Coverage measured exactly and fast: each step of a track reaches a capsule (the points within the buffer of the
step); a straight piece of a centre-line meets a capsule in one interval (both are convex), computed in closed
form for every nearby (step, piece) pair at once, then merged per piece. No buffer polygon is built, so a track
that runs over itself many times costs no more than one that does not."""

from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray

_FAR = 1e18


def _steps(tracks: Sequence[shapely.Geometry | None]) -> tuple[NDArray[np.float64], ...]:
    """(ax, ay, bx, by) of every step of every line, and a zero-length step for every lone point."""
    parts = [shapely.get_parts(t) for t in tracks if t is not None and not t.is_empty]
    if not parts:
        return tuple(np.empty(0) for _ in range(4))
    geoms = np.concatenate(parts)
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    same = owner[1:] == owner[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    lone = np.flatnonzero(np.bincount(owner, minlength=len(geoms)) == 1)
    points = coords[np.isin(owner, lone)]
    a, b = np.concatenate((a, points)), np.concatenate((b, points))
    return a[:, 0], a[:, 1], b[:, 0], b[:, 1]


def _slab(alpha, beta, lo, hi) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The s with lo <= alpha + s * beta <= hi, as an interval (empty: start > end)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        s1, s2 = (lo - alpha) / beta, (hi - alpha) / beta
    flat = np.abs(beta) < 1e-12
    inside = (alpha >= lo) & (alpha <= hi)
    start = np.where(flat, np.where(inside, -_FAR, _FAR), np.minimum(s1, s2))
    end = np.where(flat, np.where(inside, _FAR, -_FAR), np.maximum(s1, s2))
    return start, end


def _disk(px, py, ux, uy, cx, cy, r) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    wx, wy = cx - px, cy - py
    s = wx * ux + wy * uy
    h2 = r * r - (wx * wx + wy * wy - s * s)
    h = np.sqrt(np.maximum(h2, 0.0))
    return np.where(h2 >= 0, s - h, _FAR), np.where(h2 >= 0, s + h, -_FAR)


def covered_by_capsules(
    segments: Sequence[shapely.Geometry], tracks: Sequence[shapely.Geometry | None], buffer_m: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(length, covered length) of each metric centre-line within buffer_m of the tracks' steps and points."""
    lines = np.asarray(segments, dtype=object)
    lengths = shapely.length(lines) if len(lines) else np.empty(0)
    covered = np.zeros(len(lines))
    ax, ay, bx, by = _steps(tracks)
    if not len(lines) or not len(ax):
        return lengths, covered
    parts, part_seg = shapely.get_parts(lines, return_index=True)
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    same = part_of[1:] == part_of[:-1]
    p0, p1, piece_seg = coords[:-1][same], coords[1:][same], part_seg[part_of[:-1][same]]
    piece_len = np.hypot(*(p1 - p0).T)
    keep = piece_len > 0
    p0, p1, piece_seg, piece_len = p0[keep], p1[keep], piece_seg[keep], piece_len[keep]
    r = float(buffer_m)
    tree = shapely.STRtree(shapely.linestrings(np.stack((p0, p1), axis=1)))
    boxes = shapely.box(
        np.minimum(ax, bx) - r, np.minimum(ay, by) - r, np.maximum(ax, bx) + r, np.maximum(ay, by) + r
    )
    step, piece = tree.query(boxes, predicate="intersects")
    if not len(step):
        return lengths, covered
    px, py = p0[piece, 0], p0[piece, 1]
    length = piece_len[piece]
    ux, uy = (p1[piece, 0] - px) / length, (p1[piece, 1] - py) / length
    sax, say, sbx, sby = ax[step], ay[step], bx[step], by[step]
    starts, ends = [], []
    for cx, cy in ((sax, say), (sbx, sby)):
        s, e = _disk(px, py, ux, uy, cx, cy, r)
        starts.append(s)
        ends.append(e)
    ab = np.hypot(sbx - sax, sby - say)
    real = ab > 0
    vx, vy = (
        np.where(real, (sbx - sax) / np.where(real, ab, 1), 0),
        np.where(real, (sby - say) / np.where(real, ab, 1), 0),
    )
    along_s, along_e = _slab((px - sax) * vx + (py - say) * vy, ux * vx + uy * vy, 0.0, ab)
    across_s, across_e = _slab((px - sax) * -vy + (py - say) * vx, ux * -vy + uy * vx, -r, r)
    starts.append(np.where(real, np.maximum(along_s, across_s), _FAR))
    ends.append(np.where(real, np.minimum(along_e, across_e), -_FAR))
    start = np.clip(np.concatenate(starts), 0, np.tile(length, 3))
    end = np.clip(np.concatenate(ends), 0, np.tile(length, 3))
    owner = np.tile(piece, 3)
    ok = end > start
    start, end, owner = start[ok], end[ok], owner[ok]
    # merge per piece in one pass: pieces laid end to end with room between them, then a running maximum
    offset = np.concatenate(([0.0], np.cumsum(piece_len + 1.0)))[owner]
    start, end = start + offset, end + offset
    order = np.argsort(start, kind="stable")
    start, end, owner = start[order], end[order], owner[order]
    reach = np.maximum.accumulate(end)
    before = np.concatenate(([-_FAR], reach[:-1]))
    gained = np.maximum(end - np.maximum(start, before), 0.0)
    np.add.at(covered, piece_seg[owner], gained)
    return lengths, np.minimum(covered, lengths)
