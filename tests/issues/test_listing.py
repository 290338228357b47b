"""GET /api/v1/issues: who sees what, the filters, bbox, overdue, and cursor pages stable under inserts."""

from datetime import timedelta

from sqlalchemy import update

from app.models import Issue
from app.models.base import utcnow
from tests.issues.conftest import OUTSIDE, offset


def ids(client, world, who="office", query=""):
    r = client.get(f"/api/v1/issues?limit=200{query}", headers=world.h(who))
    assert r.status_code == 200, r.text
    return {i["id"] for i in r.json()["items"]}


def test_each_role_sees_what_the_contract_says(report, act, client, world):
    in_zone = report("grid").json()["id"]  # in sq01's grid and cgj's site
    outside_by_road = report("road", lon=OUTSIDE[0], lat=OUTSIDE[1]).json()["id"]  # no zone
    to_zjj = report("office").json()["id"]
    act(to_zjj, "office", "accept", unit="zjj")
    everything = {in_zone, outside_by_road, to_zjj}
    assert ids(client, world, "office") == everything == ids(client, world, "admin")
    assert ids(client, world, "unit") == {
        in_zone,
        to_zjj,
    }  # assigned, or proposed (to_zjj was proposed to cgj)
    assert ids(client, world, "other_unit") == {to_zjj}  # assigned to zjj
    assert ids(client, world, "grid") == {in_zone, to_zjj}  # its report, and what lies in its unit's grid
    assert ids(client, world, "grid2") == set()  # another community
    assert ids(client, world, "road") == {outside_by_road}  # its own report only
    for who, issue_id in [("grid2", in_zone), ("other_unit", in_zone), ("road", in_zone)]:
        assert client.get(f"/api/v1/issues/{issue_id}", headers=world.h(who)).status_code == 404
    assert client.get(f"/api/v1/issues/{in_zone}", headers=world.h("grid")).status_code == 200


def test_get_by_id_or_ref(report, client, world):
    issue = report().json()
    by_ref = client.get(f"/api/v1/issues/{issue['ref']}", headers=world.h("office")).json()
    assert by_ref["id"] == issue["id"]
    r = client.get("/api/v1/issues/2026-999999", headers=world.h("office"))
    assert r.status_code == 404 and "2026-999999" in r.json()["detail"]


def test_filters_status_unit_category_zone(report, act, client, world):
    a = report().json()["id"]
    b = report(category="fac.bench", lon=offset(150)[0]).json()["id"]  # grid only
    c = report(lon=OUTSIDE[0], lat=OUTSIDE[1]).json()["id"]
    act(a, "office", "accept")
    act(c, "office", "accept", unit="zjj")
    assert ids(client, world, query="&status=dispatched") == {a, c}
    assert ids(client, world, query="&status=reported,dispatched") == {a, b, c}
    assert ids(client, world, query="&unit=zjj") == {c}
    assert ids(client, world, query="&category=fac.bench") == {b}
    assert ids(client, world, query="&category=fac.bench,env.litter") == {a, b, c}
    assert ids(client, world, query="&zone=S001") == {a}
    assert ids(client, world, query="&zone=grid:G0101") == {a, b}
    assert ids(client, world, query="&zone=site:G0101") == set()
    assert ids(client, world, query="&status=dispatched&unit=cgj") == {a}


def test_bbox_filter(report, client, world):
    a = report().json()["id"]
    b = report(lon=OUTSIDE[0], lat=OUTSIDE[1]).json()["id"]
    w, s = offset(-10, -10)
    e, n = offset(10, 10)
    assert ids(client, world, query=f"&bbox={w},{s},{e},{n}") == {a}
    assert ids(client, world, query="&bbox=112,28,113,29") == {a, b}


def test_bad_filters_are_refused_with_a_reason(client, world):
    for query, word in [
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=113,28,112,29", "west"),
        ("bbox=0,-91,1,0", "bbox"),
        ("bbox=nan,0,1,1", "bbox"),
        ("status=open", "status"),
        ("unit=nope", "unit"),
        ("category=nope", "category"),
        ("zone=lake:X1", "zone"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("overdue=maybe", "overdue"),
        ("cursor=abc", "cursor"),
        ("cursor=" + "W10", "cursor"),
    ]:
        r = client.get(f"/api/v1/issues?{query}", headers=world.h("office"))
        assert r.status_code == 422, (query, r.text)
        assert word in r.json()["detail"], (query, r.json())


def test_overdue_is_computed_and_filtered(report, act, client, world, session, make_photo):
    late = report().json()["id"]
    on_time = report().json()["id"]
    rectified_late = report().json()["id"]
    for i in (late, on_time, rectified_late):
        act(i, "office", "accept")
    past = utcnow() - timedelta(hours=1)
    session.execute(update(Issue).where(Issue.id.in_([late, rectified_late])).values(due_at=past))
    session.commit()
    r = client.get("/api/v1/issues?overdue=true", headers=world.h("office")).json()
    assert {i["id"] for i in r["items"]} == {late, rectified_late}
    assert all(i["overdue"] for i in r["items"])
    assert ids(client, world, query="&overdue=false") == {on_time}
    # rectifying stops the unit's clock
    client.post(
        f"/api/v1/issues/{rectified_late}/actions",
        json={"action": "rectify", "photo_ids": [make_photo(by=world.user("unit").id)]},
        headers=world.h("unit"),
    )
    assert ids(client, world, query="&overdue=true") == {late}


def test_cursor_pages_are_newest_first_and_stable_under_inserts(report, client, world):
    made = [report().json()["id"] for _ in range(7)]
    h = world.h("office")
    page1 = client.get("/api/v1/issues?limit=3", headers=h).json()
    assert [i["id"] for i in page1["items"]] == made[::-1][:3]
    newer = [report().json()["id"] for _ in range(2)]  # arrive while the list is being read
    page2 = client.get(f"/api/v1/issues?limit=3&cursor={page1['next_cursor']}", headers=h).json()
    page3 = client.get(f"/api/v1/issues?limit=3&cursor={page2['next_cursor']}", headers=h).json()
    seen = [i["id"] for p in (page1, page2, page3) for i in p["items"]]
    assert seen == made[::-1]  # nothing skipped, nothing twice
    assert page3["next_cursor"] is None
    assert set(newer) <= ids(client, world)


def test_issues_created_in_the_same_instant_page_by_id(report, client, world, session):
    made = [report().json()["id"] for _ in range(4)]
    same = utcnow()
    session.execute(update(Issue).values(created_at=same))
    session.commit()
    h = world.h("office")
    seen, cursor = [], ""
    while True:
        page = client.get(f"/api/v1/issues?limit=1{cursor}", headers=h).json()
        seen += [i["id"] for i in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert seen == sorted(made, reverse=True)
