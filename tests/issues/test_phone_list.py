"""GET /api/v1/issues for phones: view=slim, sort=due|near, mine=true; and my category usage."""

from datetime import timedelta

from sqlalchemy import update

from app.models import Issue
from app.models.base import utcnow
from tests.issues.conftest import LAT, LON, OUTSIDE, offset


def get(client, world, query: str, who: str = "office"):
    return client.get(f"/api/v1/issues?{query}", headers=world.h(who))


def test_slim_items_carry_names_and_report_photos_but_no_events(report, act, client, world, make_photo):
    before, after = make_photo(), make_photo()
    fixed = report(fixed_on_site=True, photo_ids=[before], after_photo_ids=[after]).json()
    plain = report(category="fac.bench").json()
    act(plain["id"], "office", "accept")
    r = get(client, world, "view=slim")
    assert r.status_code == 200, r.text
    items = {i["id"]: i for i in r.json()["items"]}
    assert "events" not in items[plain["id"]] and "photos" not in items[plain["id"]]
    assert items[fixed["id"]]["photo_ids"] == [before]  # the report's, not the after photo
    assert items[plain["id"]]["photo_ids"] == [p["id"] for p in plain["photos"]]
    slim = items[plain["id"]]
    assert slim["unit"] == "cgj" and slim["unit_name"] == "单位cgj"
    assert slim["proposed_unit"] == "cgj" and slim["proposed_unit_name"] == "单位cgj"
    assert slim["category_name"] and slim["reporter"] == "grid" and slim["due_at"]
    assert [(z["layer"], z["code"], z["name"]) for z in slim["zones"]] == [
        ("site", "S001", "site S001"),
        ("grid", "G0101", "grid G0101"),
    ]
    assert slim["distance_m"] is None
    full = get(client, world, "").json()["items"]
    assert all("events" in i for i in full)
    assert get(client, world, "view=fat").status_code == 422


def test_sort_due_puts_the_soonest_deadline_first_and_undated_last_across_pages(
    report, act, client, world, session
):
    ids = [report().json()["id"] for _ in range(5)]
    now = utcnow()
    dues = {
        ids[0]: now + timedelta(days=3),
        ids[1]: now - timedelta(hours=2),
        ids[2]: now + timedelta(days=1),
    }
    for issue_id, due in dues.items():
        session.execute(update(Issue).where(Issue.id == issue_id).values(due_at=due, status="dispatched"))
    session.commit()
    undated = sorted(ids[3:])
    seen, cursor = [], None
    while True:
        r = get(client, world, "sort=due&view=slim&limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert r.status_code == 200, r.text
        seen += [i["id"] for i in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert seen == [ids[1], ids[2], ids[0], *undated]
    overdue = get(client, world, "sort=due&view=slim&limit=1").json()["items"][0]
    assert overdue["overdue"] is True
    # a cursor of one order is refused by another
    new_cursor = get(client, world, "limit=1").json()["next_cursor"]
    r = get(client, world, f"sort=due&cursor={new_cursor}")
    assert r.status_code == 422 and "sort=due" in r.json()["detail"]


def test_sort_near_gives_the_nearest_first_with_distances(report, client, world):
    far = report(lon=OUTSIDE[0], lat=OUTSIDE[1]).json()["id"]  # ~550 m away
    here = report().json()["id"]
    close = report(lon=offset(120)[0]).json()["id"]
    r = get(client, world, f"sort=near&near={LAT},{LON}&view=slim&limit=2")
    assert r.status_code == 200, r.text
    page = r.json()
    assert [i["id"] for i in page["items"]] == [here, close]
    assert page["next_cursor"] is None
    assert page["items"][0]["distance_m"] < 1
    assert 118 < page["items"][1]["distance_m"] < 122  # 120 m east
    full = get(client, world, f"sort=near&near={LAT},{LON}").json()["items"]
    assert [i["id"] for i in full] == [here, close, far]


def test_sort_near_refuses_bad_or_missing_points(client, world):
    for query, words in [
        ("sort=near", "needs near=lat,lon"),
        ("sort=near&near=28.2", "two numbers"),
        ("sort=near&near=95,112", "-90..90"),
        ("sort=near&near=nan,1", "-90..90"),
        ("near=28.2,112.9", "only with sort=near"),
        ("sort=near&near=28.2,112.9&cursor=abc", "one page only"),
        ("sort=far", "sort"),
    ]:
        r = get(client, world, query)
        assert r.status_code == 422, query
        assert words in r.json()["detail"], (query, r.json())


def test_mine_lists_only_what_i_reported(report, client, world):
    mine = report("grid").json()["id"]
    report("office")  # in the grid worker's zones: visible to it, but not its own
    assert {i["id"] for i in get(client, world, "", who="grid").json()["items"]} != {mine}
    r = get(client, world, "mine=true&view=slim", who="grid")
    assert [i["id"] for i in r.json()["items"]] == [mine]
    assert get(client, world, "mine=true", who="unit").json()["items"] == []


def test_category_usage_counts_my_reports_of_the_last_90_days(report, client, world, session):
    for category in ("env.litter", "env.litter", "fac.bench"):
        report(category=category)
    old = report(category="fac.lamp").json()["id"]
    session.execute(update(Issue).where(Issue.id == old).values(created_at=utcnow() - timedelta(days=91)))
    session.commit()
    report("road", category="fac.sign")  # someone else's
    r = client.get("/api/v1/me/category-usage", headers=world.h("grid"))
    assert r.status_code == 200
    assert r.json() == {"env.litter": 2, "fac.bench": 1}
    assert list(r.json()) == ["env.litter", "fac.bench"]
    assert client.get("/api/v1/me/category-usage", headers=world.h("admin")).json() == {}
    assert client.get("/api/v1/me/category-usage").status_code == 401
