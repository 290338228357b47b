"""Checklist templates: seeded per site kind, edited by the admin as new versions, old versions kept."""

import uuid

from sqlmodel import select

from app.inspection import DEFAULT_CHECKLISTS
from app.models import Category

from .conftest import LAT, LON


def test_every_demo_site_kind_has_a_default_checklist_with_the_four_sections(client, site_world):
    from app.demo.district import SITE_KINDS

    assert set(DEFAULT_CHECKLISTS) == set(SITE_KINDS)
    got = client.get("/api/v1/checklists", headers=site_world.h("grid")).json()
    assert {c["site_kind"] for c in got} == set(SITE_KINDS)
    park = next(c for c in got if c["site_kind"] == "park_square")
    assert park["version"] == 1
    assert {i["section"] for i in park["items"]} == {"facilities", "environment", "atmosphere"}
    station = next(c for c in got if c["site_kind"] == "volunteer_station")
    assert "volunteer_service" in [i["code"] for i in station["items"]]


def test_admin_edit_is_a_new_version_and_an_old_inspection_keeps_its_items(
    client, site_world, answers, photo_of
):
    h = site_world.h
    old_items = answers(no_litter="fail")
    photo = photo_of(site_world.user("office"))
    for item in old_items:
        if item["result"] == "fail":
            item["photo_ids"] = [photo]
    body = {"id": str(uuid.uuid4()), "site": "S001", "version": 1, "lat": LAT, "lon": LON, "items": old_items}
    first = client.post("/api/v1/inspections", json=body, headers=h("office"))
    assert first.status_code == 201, first.text

    new = {
        "items": [
            {"code": "benches_v2", "section": "facilities", "text": "座椅无破损", "category": "fac.bench"}
        ]
    }
    r = client.put("/api/v1/checklists/park_square", json=new, headers=h("admin"))
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and [i["code"] for i in r.json()["items"]] == ["benches_v2"]
    assert client.get("/api/v1/checklists/park_square", headers=h("office")).json()["version"] == 2
    v1 = client.get("/api/v1/checklists/park_square?version=1", headers=h("office")).json()
    assert len(v1["items"]) == len(old_items)

    kept = client.get(f"/api/v1/inspections/{body['id']}", headers=h("office")).json()
    assert kept["version"] == 1
    assert [i["code"] for i in kept["items"]] == [i["code"] for i in old_items]
    assert next(i for i in kept["items"] if i["code"] == "no_litter")["text"] == "无暴露垃圾、果壳纸屑"

    # a phone still holding version 1 may still send against it; its items must be version 1's
    again = dict(body, id=str(uuid.uuid4()), items=[dict(i, result="pass", photo_ids=[]) for i in old_items])
    assert client.post("/api/v1/inspections", json=again, headers=h("office")).status_code == 201
    wrong = dict(again, id=str(uuid.uuid4()), version=2)
    r = client.post("/api/v1/inspections", json=wrong, headers=h("office"))
    assert r.status_code == 422 and "not on this checklist version" in r.json()["detail"]
    r = client.post(
        "/api/v1/inspections", json=dict(again, id=str(uuid.uuid4()), version=9), headers=h("office")
    )
    assert r.status_code == 422 and "version" in r.json()["detail"]


def test_only_the_admin_edits_a_checklist_and_only_with_known_categories(client, site_world, session):
    item = {"code": "x", "section": "facilities", "text": "某项", "category": "fac.bench"}
    for who in ("office", "unit", "grid", "road"):
        r = client.put("/api/v1/checklists/park_square", json={"items": [item]}, headers=site_world.h(who))
        assert r.status_code == 403, who
    r = client.put(
        "/api/v1/checklists/park_square",
        json={"items": [dict(item, category="no.such")]},
        headers=site_world.h("admin"),
    )
    assert r.status_code == 422 and "no.such" in r.json()["detail"]
    r = client.put(
        "/api/v1/checklists/park_square", json={"items": [item, item]}, headers=site_world.h("admin")
    )
    assert r.status_code == 422 and "more than once" in r.json()["detail"]
    assert session.exec(select(Category).where(Category.code == "no.such")).first() is None
    latest = client.get("/api/v1/checklists/park_square", headers=site_world.h("admin")).json()
    assert latest["version"] == 1  # nothing was half-saved


def test_a_new_site_kind_gets_its_first_version(client, site_world):
    item = {"code": "clean", "section": "environment", "text": "整洁", "category": "env.litter"}
    r = client.put("/api/v1/checklists/market", json={"items": [item]}, headers=site_world.h("admin"))
    assert r.status_code == 200 and r.json()["version"] == 1
    assert client.get("/api/v1/checklists/nothing", headers=site_world.h("admin")).status_code == 404
