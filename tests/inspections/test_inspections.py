"""Inspections: failed items become issues in the same transaction, the position rule, idempotent retries, roles."""

import uuid

from sqlmodel import func, select

from app.models import Category, Inspection, InspectionItem, Issue, IssueZone, RefCounter

from .conftest import LAT, LON, offset


def _body(items, **extra):
    return {
        "id": str(uuid.uuid4()),
        "site": "S001",
        "version": 1,
        "lat": LAT,
        "lon": LON,
        "items": items,
    } | extra


def _with_photos(items, photo_id):
    for item in items:
        if item["result"] == "fail":
            item["photo_ids"] = [photo_id]
    return items


def test_failed_items_become_issues_of_the_sites_unit_with_the_mapped_category(
    client, site_world, answers, photo_of, session
):
    photo = photo_of(site_world.user("office"))
    items = _with_photos(answers(no_litter="fail", benches="fail", nursing_room="na"), photo)
    items[0]["note"] = "东门"
    r = client.post("/api/v1/inspections", json=_body(items), headers=site_world.h("office"))
    assert r.status_code == 201, r.text
    got = r.json()
    assert got["self_check"] is False and got["unit"] == "cgj" and got["site_kind"] == "park_square"
    assert (got["passed"], got["failed"], got["na"]) == (len(items) - 3, 2, 1)
    assert got["pass_share"] == round((len(items) - 3) / (len(items) - 1), 4)
    failed = {i["code"]: i for i in got["items"] if i["result"] == "fail"}
    assert set(failed) == {"no_litter", "benches"}
    for code, category in (("no_litter", "env.litter"), ("benches", "fac.bench")):
        issue = client.get(
            f"/api/v1/issues/{failed[code]['issue_id']}", headers=site_world.h("office")
        ).json()
        assert issue["category"] == category and issue["status"] == "reported"
        assert issue["unit"] == "cgj" and issue["proposed_unit"] == "cgj"
        assert {"layer": "site", "code": "S001"} in [
            {"layer": z["layer"], "code": z["code"]} for z in issue["zones"]
        ]
        assert [p["id"] for p in issue["photos"]] == [photo]
        assert failed[code]["issue_ref"] == issue["ref"]
    assert all(i["issue_id"] is None for i in got["items"] if i["result"] != "fail")
    assert session.exec(select(func.count()).select_from(Issue)).one() == 2


def test_a_failure_half_way_leaves_nothing_behind(client, site_world, answers, photo_of, session):
    """The second failed item's category was withdrawn after the checklist was made: the first failed item's
    issue was already written in the transaction, and is gone with the rest."""
    benches = session.get(Category, "fac.bench")
    benches.active = False
    session.add(benches)
    session.commit()
    photo = photo_of(site_world.user("office"))
    items = _with_photos(answers(no_litter="fail", benches="fail"), photo)
    items.sort(key=lambda i: i["code"] != "no_litter")  # the good failure is handled first
    r = client.post("/api/v1/inspections", json=_body(items), headers=site_world.h("office"))
    assert r.status_code == 422 and "fac.bench" in r.json()["detail"]
    for table in (Issue, IssueZone, Inspection, InspectionItem):
        assert session.exec(select(func.count()).select_from(table)).one() == 0, table
    assert session.exec(select(func.count()).select_from(RefCounter)).one() == 0


def test_the_inspector_must_be_at_the_site(client, site_world, answers, settings):
    h = site_world.h("office")
    near_lon, near_lat = offset(50 + settings.inspection_radius_m - 5)  # the site is 100 m across
    r = client.post("/api/v1/inspections", json=_body(answers(), lat=near_lat, lon=near_lon), headers=h)
    assert r.status_code == 201, r.text
    assert 40 <= r.json()["distance_m"] <= 50
    far_lon, far_lat = offset(50 + settings.inspection_radius_m + 20)
    r = client.post("/api/v1/inspections", json=_body(answers(), lat=far_lat, lon=far_lon), headers=h)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("inspector_not_at_site:")


def test_a_retry_is_the_same_inspection_and_other_content_under_its_id_is_refused(
    client, site_world, answers, photo_of, session
):
    photo = photo_of(site_world.user("office"))
    body = _body(_with_photos(answers(no_butts="fail"), photo))
    first = client.post("/api/v1/inspections", json=body, headers=site_world.h("office"))
    again = client.post("/api/v1/inspections", json=body, headers=site_world.h("office"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert session.exec(select(func.count()).select_from(Issue)).one() == 1
    other = dict(body, note="改了")
    r = client.post("/api/v1/inspections", json=other, headers=site_world.h("office"))
    assert r.status_code == 409
    r = client.post("/api/v1/inspections", json=body, headers=site_world.h("admin"))
    assert r.status_code == 409  # the same body from someone else is not a retry


def test_answers_must_fit_the_checklist_and_every_failure_needs_the_inspectors_own_photo(
    client, site_world, answers, photo_of
):
    h = site_world.h("office")
    items = answers(no_litter="fail")
    r = client.post("/api/v1/inspections", json=_body(items), headers=h)
    assert r.status_code == 422 and "needs a photo: no_litter" in r.json()["detail"]
    r = client.post("/api/v1/inspections", json=_body(items[1:]), headers=h)
    assert r.status_code == 422 and "not answered" in r.json()["detail"]
    r = client.post("/api/v1/inspections", json=_body([*items, {"code": "zzz", "result": "pass"}]), headers=h)
    assert r.status_code == 422 and "zzz" in r.json()["detail"]
    r = client.post("/api/v1/inspections", json=_body([*items, items[0]]), headers=h)
    assert r.status_code == 422 and "more than once" in r.json()["detail"]
    theirs = photo_of(site_world.user("grid"))
    r = client.post("/api/v1/inspections", json=_body(_with_photos(items, theirs)), headers=h)
    assert r.status_code == 422 and r.json()["detail"].startswith("photo_not_yours")
    r = client.post("/api/v1/inspections", json=_body(_with_photos(items, str(uuid.uuid4()))), headers=h)
    assert r.status_code == 422 and r.json()["detail"].startswith("unknown_photo")
    r = client.post("/api/v1/inspections", json=_body(answers(), site="S999"), headers=h)
    assert r.status_code == 404


def test_the_sites_own_unit_self_checks_and_others_may_not_inspect(client, site_world, answers):
    r = client.post("/api/v1/inspections", json=_body(answers()), headers=site_world.h("unit"))
    assert r.status_code == 201 and r.json()["self_check"] is True
    for who in ("other_unit", "grid", "road"):
        r = client.post("/api/v1/inspections", json=_body(answers()), headers=site_world.h(who))
        assert r.status_code == 403, who
        assert client.get("/api/v1/sites/S001/inspection-form", headers=site_world.h(who)).status_code == 403


def test_who_reads_inspections(client, site_world, answers):
    body = _body(answers())
    assert client.post("/api/v1/inspections", json=body, headers=site_world.h("office")).status_code == 201
    url = f"/api/v1/inspections/{body['id']}"
    assert client.get(url, headers=site_world.h("unit")).status_code == 200
    assert client.get(url, headers=site_world.h("other_unit")).status_code == 404
    assert client.get(url, headers=site_world.h("grid")).status_code == 403
    assert client.get("/api/v1/inspections", headers=site_world.h("road")).status_code == 403
    assert client.get("/api/v1/inspections", headers=site_world.h("other_unit")).json()["items"] == []
    page = client.get("/api/v1/inspections?site=S001", headers=site_world.h("unit")).json()
    assert [i["id"] for i in page["items"]] == [body["id"]]


def test_the_form_puts_last_times_failures_first(client, site_world, answers, photo_of):
    photo = photo_of(site_world.user("unit"))
    body = _body(_with_photos(answers(no_butts="fail", ads_condition="fail"), photo))
    assert client.post("/api/v1/inspections", json=body, headers=site_world.h("unit")).status_code == 201
    form = client.get("/api/v1/sites/S001/inspection-form", headers=site_world.h("office")).json()
    assert form["last_failed"] == ["no_butts", "ads_condition"]
    assert [i["code"] for i in form["checklist"]["items"][:2]] == ["no_butts", "ads_condition"]
    assert form["last_inspection_id"] == body["id"] and form["unit"] == "cgj"


def test_failed_items_of_a_unit_in_a_period(client, site_world, answers, photo_of):
    photo = photo_of(site_world.user("office"))
    body = _body(_with_photos(answers(bins="fail"), photo))
    assert client.post("/api/v1/inspections", json=body, headers=site_world.h("office")).status_code == 201
    got = client.get("/api/v1/inspections/failed-items?unit=cgj", headers=site_world.h("office")).json()
    assert [(f["code"], f["category"], f["site"], f["issue_status"]) for f in got] == [
        ("bins", "fac.bin", "S001", "reported")
    ]
    assert (
        client.get("/api/v1/inspections/failed-items?unit=zjj", headers=site_world.h("office")).json() == []
    )
    later = "2999-01-01T00:00:00Z"
    assert (
        client.get(f"/api/v1/inspections/failed-items?from={later}", headers=site_world.h("office")).json()
        == []
    )
    own = client.get("/api/v1/inspections/failed-items", headers=site_world.h("unit")).json()
    assert len(own) == 1
    assert (
        client.get(
            "/api/v1/inspections/failed-items?unit=cgj", headers=site_world.h("other_unit")
        ).status_code
        == 403
    )
    assert client.get("/api/v1/inspections/failed-items", headers=site_world.h("grid")).status_code == 403


def test_site_stats_show_readiness_and_rank_the_least_ready_first(client, site_world, answers, photo_of):
    h = site_world.h("office")
    before = client.get("/api/v1/stats/sites", headers=h).json()
    assert (
        before[0]["code"] == "S001"
        and before[0]["pass_share"] is None
        and before[0]["last_self_check"] is None
    )
    photo = photo_of(site_world.user("unit"))
    items = _with_photos(answers(no_litter="fail"), photo)
    assert (
        client.post("/api/v1/inspections", json=_body(items), headers=site_world.h("unit")).status_code == 201
    )
    row = client.get("/api/v1/stats/sites?order=readiness", headers=h).json()[0]
    assert row["code"] == "S001" and row["last_self_check"] is True and row["days_since_inspected"] == 0
    assert row["failed"] == 1 and row["pass_share"] == round((len(items) - 1) / len(items), 4)
    assert row["open"] == 1  # the failed item's issue
    assert client.get("/api/v1/stats/sites?order=nonsense", headers=h).status_code == 422


def test_a_unit_reads_the_readiness_of_its_own_sites_only(client, site_world, answers):
    assert (
        client.post("/api/v1/inspections", json=_body(answers()), headers=site_world.h("unit")).status_code
        == 201
    )
    own = client.get("/api/v1/stats/sites?order=readiness", headers=site_world.h("unit")).json()
    assert [(s["code"], s["unit"], s["pass_share"]) for s in own] == [("S001", "cgj", 1.0)]
    assert client.get("/api/v1/stats/sites", headers=site_world.h("other_unit")).json() == []  # zjj has none
    for who in ("grid", "road"):
        assert client.get("/api/v1/stats/sites", headers=site_world.h(who)).status_code == 403


def test_least_ready_first_and_the_daily_reports_site_sheet(client, site_world, answers, photo_of, session):
    import io
    import json

    from openpyxl import load_workbook
    from shapely.geometry import box, mapping

    from app.models import Zone

    west, south = offset(-300, -300)
    east, north = offset(-200, -200)
    session.add(
        Zone(
            layer="site",
            code="S002",
            name="site S002",
            unit_id=site_world.units["zjj"].id,
            category="school",
            geometry=json.dumps(mapping(box(west, south, east, north))),
            min_lon=west,
            min_lat=south,
            max_lon=east,
            max_lat=north,
        )
    )
    session.commit()
    h = site_world.h("office")
    assert [s["code"] for s in client.get("/api/v1/stats/sites?order=readiness", headers=h).json()] == [
        "S001",
        "S002",
    ]  # neither inspected: by code
    assert client.post("/api/v1/inspections", json=_body(answers()), headers=h).status_code == 201
    ranked = client.get("/api/v1/stats/sites?order=readiness", headers=h).json()
    assert [s["code"] for s in ranked] == ["S002", "S001"]  # the never-inspected site first
    assert ranked[1]["pass_share"] == 1.0
    r = client.get("/api/v1/exports/daily-report.xlsx", headers=h)
    sheet = list(load_workbook(io.BytesIO(r.content))["点位"].iter_rows(values_only=True))
    assert sheet[1][:5] == ("点位编码", "点位名称", "点位类型", "责任单位", "达标率")
    assert [(row[0], row[4], row[7]) for row in sheet[2:]] == [
        ("S002", "未检查", None),
        ("S001", "100.0%", "否"),
    ]
