from collections import Counter

from app.demo.district import SITE_KINDS, build_district


def test_demo_district_is_deterministic_and_realistic():
    a, b = build_district(), build_district()
    assert [(z.code, z.geometry.wkb) for z in a.zones] == [(z.code, z.geometry.wkb) for z in b.zones]
    layers = Counter(z.layer for z in a.zones)
    assert layers["site"] == 132
    assert set(layers) == {"site", "grid", "road", "compound", "building", "frontage"}
    assert {z.category for z in a.layer("site")} == set(SITE_KINDS)
    assert 35 <= len(a.units) <= 50
    assert all(z.geometry.is_valid and not z.geometry.is_empty for z in a.zones)
    assert all(z.width_m for z in a.layer("road"))
    unit_codes = {u.code for u in a.units}
    assert all(z.unit in unit_codes for z in a.zones)


def test_grids_tile_the_district_without_gaps_or_overlaps():
    from shapely import union_all

    grids = [z.geometry for z in build_district().layer("grid")]
    total = union_all(grids)
    assert abs(total.area - sum(g.area for g in grids)) < 1e-12
    minx, miny, maxx, maxy = total.bounds
    assert abs(total.area - (maxx - minx) * (maxy - miny)) < 1e-12


def test_buildings_lie_in_their_compounds():
    d = build_district()
    compounds = {z.code: z.geometry for z in d.layer("compound")}
    for b in d.layer("building"):
        assert compounds[b.code.split("-")[0]].contains(b.geometry)


def test_demo_seed_can_sign_in_every_role(client):
    from sqlmodel import Session

    from app.config import get_settings
    from app.db import get_engine
    from app.demo.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo

    with Session(get_engine()) as s:
        seed_demo(s, get_settings())
    tokens = {}
    for username, role, _unit, _name in DEMO_USERS:
        r = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
        assert r.status_code == 200
        tokens[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        me = client.get("/api/v1/me", headers=tokens[username]).json()
        assert me["role"] == role

    # the field history: every view of inspections and patrols has data
    office = tokens["demo_office"]
    sites = client.get("/api/v1/stats/sites?order=readiness", headers=office).json()
    inspected = [s for s in sites if s["last_inspected_at"]]
    assert len(inspected) > 60 and any(s["last_self_check"] for s in inspected)
    assert any(s["failed"] for s in inspected)
    assert client.get("/api/v1/inspections?limit=5", headers=office).json()["items"]
    assert client.get("/api/v1/inspections/failed-items", headers=office).json()
    from datetime import timedelta

    from app.models.base import utcnow

    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    week = [client.get(f"/api/v1/patrols/daily?date={d}", headers=office).json() for d in (yesterday,)]
    assert len(week[0]) == 13
    assert client.get("/api/v1/patrols?limit=5", headers=tokens["demo_road"]).json()
    assert client.get("/api/v1/patrols/unpatrolled", headers=office).status_code == 200
    # duty posts: rush-hour posts on main roads and staffed stations, and empty posts found on recent weekdays
    posts = client.get("/api/v1/duty/status", headers=office).json()["posts"]
    assert len(posts) == 42 and {p["post"]["hours"] for p in posts} == {"07:00-09:00,17:00-19:00", None}
    from sqlmodel import select

    from app.models import Unit
    from app.models.duty import EmptyPostFinding

    with Session(get_engine()) as s:
        found = s.exec(select(EmptyPostFinding)).all()
        assert found and all(f.at < utcnow() for f in found)
        unit = s.get(Unit, found[0].unit_id).code
    since = (utcnow() - timedelta(days=15)).date().isoformat()
    score = client.get(f"/api/v1/score/units/{unit}?from={since}", headers=office).json()
    assert score["by_rule"].get("empty_post", 0) > 0
    with Session(get_engine()) as s:
        again = seed_demo(s, get_settings())
    assert "already present" in again
    # the history is made by people: the server's own (inactive) user acts in none of it
    from sqlmodel import func, select

    from app.models import IssueEvent, User
    from app.models.inspection import Inspection

    with Session(get_engine()) as s:
        inactive = select(User.id).where(User.active.is_(False))
        assert s.exec(select(func.count()).where(Inspection.inspector_id.in_(inactive))).one() == 0
        assert s.exec(select(func.count()).where(IssueEvent.actor_id.in_(inactive))).one() == 0
