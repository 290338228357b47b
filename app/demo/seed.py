"""Writes the demo district, its demo users and (when present) its history into the database, once."""

import json

from shapely.geometry import mapping
from sqlmodel import Session, select

from app.config import Settings
from app.demo import duty, field_history, history
from app.demo.district import build_district
from app.demo.history_cast import cast
from app.models import Inspection, Patrol, Role, Unit, User, Zone, ZoneRevision
from app.models.base import utcnow
from app.models.duty import DutyPost
from app.security import hash_password
from app.services.inspections import seed_default_checklists

DEMO_PASSWORD = "xuncha-demo"
DEMO_USERS = [
    # username, role, unit, display name
    ("demo_admin", Role.admin, None, "系统管理员"),
    ("demo_office", Role.office, "cjb", "创建办 王主任"),
    ("demo_unit", Role.unit, "cgj", "城管局 李科长"),
    ("demo_grid", Role.grid_worker, "sq01", "网格员 张敏"),
    ("demo_road", Role.road_chief, "zjj", "住建局路长 陈刚"),
]


def zone_row(layer, code, name, unit_id, geometry, category=None, width_m=None) -> Zone:
    minx, miny, maxx, maxy = geometry.bounds
    return Zone(
        layer=layer,
        code=code,
        name=name,
        unit_id=unit_id,
        category=category,
        width_m=width_m,
        geometry=json.dumps(mapping(geometry)),
        min_lon=minx,
        min_lat=miny,
        max_lon=maxx,
        max_lat=maxy,
    )


def seed_demo(session: Session, settings: Settings) -> str:
    """Idempotent: does nothing when the demo units are there already."""
    users = f"users {', '.join(u[0] for u in DEMO_USERS)} with password {DEMO_PASSWORD!r}"
    if session.exec(select(Unit).where(Unit.code == "cjb")).first():
        added = seed_default_checklists(session)  # a district seeded before checklists existed gets them
        session.flush()
        field = ""
        if session.exec(select(Inspection)).first() is None and session.exec(select(Patrol)).first() is None:
            present = {u.code: u for u in session.exec(select(Unit)).all()}
            made = seed_field(session, settings, present)
            field = f", field history: {made[0]} inspections, {made[1]} patrols"
        if session.exec(select(DutyPost)).first() is None:
            present = {u.code: u for u in session.exec(select(Unit)).all()}
            field += f", {seed_duty(session, settings, present)} duty posts"
        session.commit()
        return f"demo district already present ({added} checklists added{field}); {users}"
    district = build_district()
    units: dict[str, Unit] = {}
    for u in district.units:
        unit = Unit(code=u.code, name=u.name, kind=u.kind, parent_id=units[u.parent].id if u.parent else None)
        session.add(unit)
        session.flush()
        units[u.code] = unit
    for z in district.zones:
        session.add(zone_row(z.layer, z.code, z.name, units[z.unit].id, z.geometry, z.category, z.width_m))
    revision = session.get(ZoneRevision, 1) or ZoneRevision(id=1)
    revision.version += 1
    session.add(revision)
    password_hash = hash_password(DEMO_PASSWORD)
    for username, role, unit_code, name in DEMO_USERS:
        session.add(
            User(
                username=username,
                role=role,
                unit_id=units[unit_code].id if unit_code else None,
                display_name=name,
                password_hash=password_hash,
            )
        )
    session.flush()
    seed_default_checklists(session)
    session.flush()
    history = seed_history(session, settings, units)
    inspections, patrols = seed_field(session, settings, units)
    posts = seed_duty(session, settings, units)
    session.commit()
    counts = {
        layer: len(district.layer(layer))
        for layer in ("site", "grid", "road", "compound", "building", "frontage")
    }
    return (
        f"demo district: {len(units)} units, zones {counts}, {history} historical issues, "
        f"{inspections} inspections, {patrols} patrols, {posts} duty posts; {users}"
    )


def seed_history(session: Session, settings: Settings, units: dict[str, Unit]) -> int:
    """The district's past: ~1,200 issues ending now, ~82% closed (app/demo/history.py); not committed here."""
    return history.seed_history(session, settings, units, utcnow())


def seed_field(session: Session, settings: Settings, units: dict[str, Unit]) -> tuple[int, int]:
    """The district's recent inspections and patrols (app/demo/field_history.py); not committed here."""
    return field_history.seed_field_history(session, settings, cast(session, units), utcnow())


def seed_duty(session: Session, settings: Settings, units: dict[str, Unit]) -> int:
    """The district's duty posts and the empty posts found lately (app/demo/duty.py); not committed here."""
    return duty.seed_duty(session, settings, cast(session, units), utcnow())
