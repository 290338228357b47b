"""The cast and the places of the demo history: who reports and who handles, where and what, and when."""

import math
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import shapely
from sqlalchemy import select
from sqlmodel import Session

from app.geo import Location
from app.models import Role, Unit, User
from app.security import hash_password

DAYS = 120  # the history covers this many days before now

# what goes wrong where: the categories inspectors find at each kind of site, most common first
CATEGORIES_AT = {
    "main_road": [
        "env.litter",
        "env.butts",
        "traffic.parking",
        "order.vending",
        "fac.road",
        "fac.lamp",
        "fac.bin",
    ],
    "back_alley": ["env.litter", "order.vending", "env.water", "traffic.parking", "fac.lamp"],
    "park_square": ["env.litter", "fac.bench", "fac.bin", "ads.damaged", "fac.sign"],
    "cultural_venue": ["ads.missing", "fac.accessibility", "fac.nursing_room", "svc.window"],
    "service_window": ["svc.window", "fac.accessibility", "fac.nursing_room", "ads.missing"],
    "hospital": ["traffic.parking", "fac.accessibility", "env.litter", "svc.window"],
    "school": ["traffic.parking", "order.vending", "ads.missing", "env.litter"],
    "residential": ["env.litter", "fac.bin", "fac.fire_lane", "traffic.parking", "ads.missing", "other"],
    "construction": ["site.fence", "env.litter", "fac.road"],
    "volunteer_station": ["svc.volunteer", "ads.missing"],
    "practice_station": ["svc.volunteer", "ads.missing"],
}
SITE_WEIGHT = {"main_road": 4, "back_alley": 3, "residential": 3}


@dataclass
class People:
    """Who acts in the history: users by role and unit."""

    office: list[User]
    handler: dict[int, User]  # unit id -> its handler
    grid: dict[int, User]  # community unit id -> its grid worker
    road: dict[int, User]  # department unit id -> its road chief


def cast(session: Session, units: dict[str, Unit]) -> People:
    """The demo users, and a handler, grid worker or road chief for every unit that has none (no sign-in)."""
    existing = {u.username: u for u in session.execute(select(User).order_by(User.id)).scalars()}
    locked = hash_password(uuid.uuid4().hex)  # nobody knows it: these people exist only in the past
    made: list[User] = []

    def user(name: str, role: Role, unit: Unit | None, display: str) -> User:
        if name not in existing:
            existing[name] = User(
                username=name,
                role=role,
                unit_id=unit.id if unit else None,
                display_name=display,
                password_hash=locked,
            )
            made.append(existing[name])
        return existing[name]

    def demo(role: Role, unit: Unit) -> User | None:
        return next((u for u in existing.values() if u.role == role and u.unit_id == unit.id), None)

    cjb = units.get("cjb")
    office = [
        u
        for u in existing.values()
        if u.role == Role.office and u.active and u.unit_id in (None, cjb and cjb.id)
    ] + [
        user(f"hist_ducha{n}", Role.office, cjb, f"督查组 {name}")
        for n, name in enumerate(["刘洋", "赵静"], 1)
    ]
    handler, grid, road = {}, {}, {}
    for unit in units.values():
        if unit.kind == "office":
            continue
        handler[unit.id] = demo(Role.unit, unit) or user(
            f"hist_unit_{unit.code}", Role.unit, unit, f"{unit.name} 处置员"
        )
        if unit.kind == "community":
            grid[unit.id] = demo(Role.grid_worker, unit) or user(
                f"hist_grid_{unit.code}", Role.grid_worker, unit, f"{unit.name} 网格员"
            )
        if unit.kind == "department":
            road[unit.id] = demo(Role.road_chief, unit) or user(
                f"hist_road_{unit.code}", Role.road_chief, unit, f"{unit.name} 路长"
            )
    session.add_all(made)
    session.flush()
    return People(office, handler, grid, road)


def places(rnd: random.Random, sites, kind_of, total: int) -> tuple[list[tuple[float, float]], list]:
    """`total` points, each inside a site, busy kinds of site drawn more often."""
    weights = [SITE_WEIGHT.get(kind_of[s.code], 1) for s in sites]
    picked = rnd.choices(sites, weights=weights, k=total)
    points = []
    for site in picked:
        minx, miny, maxx, maxy = site.geometry.bounds
        for _ in range(200):
            x, y = rnd.uniform(minx, maxx), rnd.uniform(miny, maxy)
            if shapely.contains_xy(site.geometry, x, y):
                break
        points.append((round(x, 7), round(y, 7)))
    return points, picked


def category_at(rnd: random.Random, kind: str, where: Location) -> str:
    if any(m.layer == "frontage" for m in where.matches) and rnd.random() < 0.6:
        return "order.frontage"
    options = CATEGORIES_AT.get(kind, ["other"])
    return rnd.choices(options, weights=[len(options) - i for i in range(len(options))])[0]


def reported_at(rnd: random.Random, now: datetime, timezone: str) -> datetime:
    """The campaign gathers pace: reports come more often as the inspection nears, by day, in daylight."""
    days_ago = DAYS * (1 - math.sqrt(rnd.random()))  # density rising linearly towards now
    day = (now - timedelta(days=days_ago)).astimezone(ZoneInfo(timezone)).date()
    local = datetime.combine(day, datetime.min.time(), ZoneInfo(timezone)) + timedelta(
        hours=rnd.triangular(7, 19, 10)
    )
    moment = local.astimezone(now.tzinfo)
    return min(moment, now - timedelta(minutes=rnd.uniform(5, 90))).replace(microsecond=0)


def reporter_of(rnd: random.Random, where: Location, people: People) -> tuple[User, bool]:
    """A grid worker of the spot's community, a road chief of its road, or an inspector; and whether it fixed it."""
    by_layer = {m.layer: m.unit_id for m in where.matches}
    draw = rnd.random()
    if draw < 0.55 and by_layer.get("grid") in people.grid:
        return people.grid[by_layer["grid"]], rnd.random() < 0.12
    if draw < 0.7 and by_layer.get("road") in people.road:
        return people.road[by_layer["road"]], rnd.random() < 0.05
    return rnd.choice(people.office), False
