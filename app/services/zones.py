"""Zones: import and export of layers, the process-wide zone index, and locating a point.

The index is built once per process and database, and rebuilt only when zone_revision changes: every zone write
calls bump_revision in its transaction, so every process (one server or many behind a load balancer) sees the
change at its next check. A check is one tiny query. locate() (the issue workflow) checks on every call. GET
/locate trusts the index for XUNCHA_ZONE_CHECK_S (default 1 s) between checks, so there another process's change
shows within that time; this process's own change shows at once (an after-commit hook forgets the last check).
"""

import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import anyio
import numpy as np
import shapely
from shapely.geometry import mapping
from sqlalchemy import Engine, event, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.config import Settings, get_settings
from app.db import get_engine, new_session
from app.errors import Conflict, InvalidInput
from app.geo import (
    Crs,
    LocateRules,
    Location,
    ZoneFeature,
    ZoneFileError,
    ZoneIndex,
    ZoneShape,
    from_wgs84_many,
    parse_zone_file,
    to_wgs84,
)
from app.geo.geojson import feature_label
from app.models.base import utcnow
from app.models.unit import Unit
from app.models.zone import LocatePublic, MatchPublic, Zone, ZoneImportResult, ZoneRevision

# ---- the revision stamp and the cached index ----


@dataclass
class _Cached:
    stamp: tuple[int, datetime | None]
    index: ZoneIndex
    checked_at: float


_CACHE: dict[str, _Cached] = {}
_BUILDING = threading.Lock()
_CHANGED = "xuncha.zones_changed"


def bump_revision(session: Session) -> None:
    """Record that zones changed; call inside the transaction that changes them, before its commit."""
    bumped = session.exec(
        update(ZoneRevision)
        .where(ZoneRevision.id == 1)
        .values(version=ZoneRevision.version + 1, changed_at=utcnow())
    )
    if bumped.rowcount == 0:
        session.add(ZoneRevision(id=1, version=1, changed_at=utcnow()))
        session.flush()
    session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _forget_checks_after_zone_commit(session: Session) -> None:
    # this process need not wait out max_age_s to see its own change
    if session.info.pop(_CHANGED, False):
        for cached in list(_CACHE.values()):
            cached.checked_at = float("-inf")


@event.listens_for(Session, "after_rollback")
def _drop_flag_after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)


@lru_cache(maxsize=16)
def _database_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _stamp(session: Session) -> tuple[int, datetime | None]:
    row = session.exec(
        select(ZoneRevision.version, ZoneRevision.changed_at).where(ZoneRevision.id == 1)
    ).first()
    return (row[0], row[1]) if row else (0, None)


def rules_of(settings: Settings) -> LocateRules:
    return LocateRules(tuple(settings.layer_precedence), settings.snap_m, settings.snap_max_m)


def load_shapes(session: Session) -> list[ZoneShape]:
    """Every zone with its unit's code, geometry parsed, for the index."""
    rows = session.exec(
        select(
            Zone.id, Zone.layer, Zone.code, Zone.name, Zone.unit_id, Zone.geometry, Zone.width_m, Unit.code
        )
        .join(Unit, Unit.id == Zone.unit_id)
        .order_by(Zone.id)
    ).all()
    geometries = shapely.from_geojson(np.array([r[5] for r in rows], dtype=object)) if rows else []
    return [
        ZoneShape(r[0], r[1], r[2], r[3], r[7], r[4], g, r[6]) for r, g in zip(rows, geometries, strict=True)
    ]


def current_index(session: Session, max_age_s: float = 0.0) -> ZoneIndex:
    """The process-wide index for this session's database, rebuilt when zone_revision has changed.

    With max_age_s > 0 the revision is not re-read for that many seconds after the last check.
    """
    rules = rules_of(get_settings())
    key = _database_key(session.get_bind())
    cached = _CACHE.get(key)
    now = time.monotonic()
    if cached and cached.index.rules == rules and now - cached.checked_at < max_age_s:
        return cached.index
    stamp = _stamp(session)
    if cached and cached.stamp == stamp and cached.index.rules == rules:
        cached.checked_at = now
        return cached.index
    with _BUILDING:  # one build at a time; a thread that waited finds it done
        cached = _CACHE.get(key)
        if cached and cached.stamp == stamp and cached.index.rules == rules:
            return cached.index
        index = ZoneIndex(load_shapes(session), rules)
        _CACHE[key] = _Cached(stamp, index, now)
        return index


def locate(session: Session, lon: float, lat: float, accuracy_m: float | None = None) -> Location:
    """Where a WGS-84 point lies: its zones in every layer and the unit responsible, from the cached index."""
    return current_index(session).locate(lon, lat, accuracy_m)


async def locate_public(
    settings: Settings, lon: float, lat: float, crs: Crs = Crs.wgs84, accuracy_m: float | None = None
) -> LocatePublic:
    """GET /locate: the point in WGS-84 and where it lies.

    The index is trusted for settings.zone_check_s after its last revision check; when a check is due it runs
    in a worker thread with its own session, so the event loop never waits on the database or on a rebuild.
    """
    wlon, wlat = to_wgs84(lon, lat, crs)
    index = _recent_index(settings)
    if index is None:
        index = await anyio.to_thread.run_sync(_checked_index, settings.zone_check_s)
    found = index.locate(wlon, wlat, accuracy_m)
    return LocatePublic(
        lat=wlat,
        lon=wlon,
        matches=[
            MatchPublic(
                layer=m.layer, code=m.code, name=m.name, unit=m.unit, distance_m=round(m.distance_m, 2)
            )
            for m in found.matches
        ],
        unit=found.unit,
    )


def _recent_index(settings: Settings) -> ZoneIndex | None:
    """The cached index if its revision was checked less than zone_check_s ago (no I/O), else None."""
    cached = _CACHE.get(_database_key(get_engine()))
    if cached is None or cached.index.rules != rules_of(settings):
        return None
    return cached.index if time.monotonic() - cached.checked_at < settings.zone_check_s else None


def _checked_index(max_age_s: float) -> ZoneIndex:
    with new_session() as session:
        return current_index(session, max_age_s)


# ---- import and export ----


def geometry_text(geom: shapely.Geometry) -> str:
    return json.dumps(mapping(geom), separators=(",", ":"))


def _apply(zone: Zone, feature: ZoneFeature, unit_id: int) -> None:
    zone.name = feature.name
    zone.unit_id = unit_id
    zone.category = feature.category
    zone.width_m = feature.width_m
    zone.geometry = geometry_text(feature.geometry)
    zone.min_lon, zone.min_lat, zone.max_lon, zone.max_lat = feature.geometry.bounds
    zone.updated_at = utcnow()


def import_zones(session: Session, layer: str, data: Any, crs: Crs | str = Crs.wgs84) -> ZoneImportResult:
    """Create or update (by code) the zones of a FeatureCollection in one layer: all of them, or none."""
    features = parse_zone_file(data, layer, crs)  # pure, before any lock is taken
    try:
        bump_revision(session)  # first: its row lock makes concurrent imports wait their turn
        units = {u.code: u for u in session.exec(select(Unit))}
        problems = []
        for f in features:
            unit = units.get(f.unit)
            if unit is None or not unit.active:
                why = "is not a known unit" if unit is None else "is deactivated"
                problems.append(f"{feature_label(f.index, f.code)}: unit {f.unit!r} {why}")
        if problems:
            raise ZoneFileError(problems)
        existing = {z.code: z for z in session.exec(select(Zone).where(Zone.layer == layer))}
        created = 0
        for f in features:
            zone = existing.get(f.code)
            if zone is None:
                zone = Zone(layer=layer, code=f.code)
                created += 1
            _apply(zone, f, units[f.unit].id)
            session.add(zone)
        session.commit()
    except IntegrityError as e:
        session.rollback()
        raise Conflict(f"the {layer} layer changed during this import; send it again") from e
    except BaseException:
        session.rollback()
        raise
    return ZoneImportResult(created=created, updated=len(features) - created)


def read_zone_file(path: Path) -> Any:
    """The JSON in a file, or InvalidInput saying why not."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise InvalidInput(f"cannot read {path}: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise InvalidInput(f"{path} is not UTF-8 text: {e.reason} at byte {e.start}") from e
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InvalidInput(f"{path} is not JSON: {e.msg} at line {e.lineno}, column {e.colno}") from e


def import_zone_file(
    session: Session, path: Path, layer: str, crs: Crs | str = Crs.wgs84
) -> ZoneImportResult:
    """`xuncha import-zones`: import_zones from a file."""
    return import_zones(session, layer, read_zone_file(path), crs)


def _export_geometry(text: str, crs: Crs) -> str:
    if crs is Crs.wgs84:
        return text  # stored as GeoJSON already: no parse, no re-encode
    geom = shapely.from_geojson(text)
    converted = shapely.transform(geom, lambda xy: np.column_stack(from_wgs84_many(xy[:, 0], xy[:, 1], crs)))
    return geometry_text(converted)


def zones_geojson(session: Session, layer: str | None = None, crs: Crs = Crs.wgs84) -> str:
    """A layer (or every layer) as a GeoJSON FeatureCollection text, coordinates in `crs`."""
    query = (
        select(
            Zone.layer, Zone.code, Zone.name, Unit.code, Unit.name, Zone.category, Zone.width_m, Zone.geometry
        )
        .join(Unit, Unit.id == Zone.unit_id)
        .order_by(Zone.layer, Zone.code)
    )
    if layer is not None:
        query = query.where(Zone.layer == layer)
    features = []
    for zlayer, code, name, unit, unit_name, category, width_m, geometry in session.exec(query):
        props = {
            "layer": zlayer,
            "code": code,
            "name": name,
            "unit": unit,
            "unit_name": unit_name,
            "category": category,
        }
        if width_m is not None:
            props["width_m"] = width_m
        features.append(
            f'{{"type":"Feature","geometry":{_export_geometry(geometry, crs)},'
            f'"properties":{json.dumps(props, ensure_ascii=False)}}}'
        )
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
