"""The dashboard's figures over issues in every state, their filters, and who may see them."""

from datetime import timedelta

import pytest

from app.models import Role
from app.models.base import utcnow

PAST = timedelta(hours=3)


@pytest.fixture
def office(make_user) -> dict:
    return make_user("office1", Role.office)


@pytest.fixture
def units(make_unit) -> dict:
    return {
        "cgj": make_unit("cgj", "区城管局"),
        "zjj": make_unit("zjj", "区住建局"),
        "idle": make_unit("idle"),
    }


@pytest.fixture
def campaign(make_issue, units) -> dict:
    """cgj: 2 closed, 1 overdue in progress, 1 rectified; zjj: 1 overdue dispatched, 1 dispatched on time;
    plus 2 reported (not accepted), 1 rejected and 1 merged."""
    now = utcnow()
    cgj, zjj = units["cgj"], units["zjj"]
    return {
        "closed": [make_issue("closed", cgj), make_issue("closed", cgj, category="fac.lamp")],
        "late": make_issue("in_progress", cgj, due_at=now - PAST),
        "rectified": make_issue("rectified", cgj, due_at=now - PAST),
        "zjj_late": make_issue("dispatched", zjj, due_at=now - PAST, category="fac.road"),
        "zjj_ok": make_issue("dispatched", zjj, category="fac.road"),
        "reported": [make_issue("reported", cgj), make_issue("reported")],
        "rejected": make_issue("rejected"),
        "merged": make_issue("merged"),
    }


def test_summary_counts_statuses_accepted_closed_rate_and_overdue(client, office, campaign):
    r = client.get("/api/v1/stats/summary", headers=office["headers"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["by_status"] == {
        "reported": 2,
        "dispatched": 2,
        "in_progress": 1,
        "rectified": 1,
        "closed": 2,
        "rejected": 1,
        "merged": 1,
    }
    assert body["total"] == 10
    assert body["accepted"] == 6
    assert body["closed"] == 2
    assert body["rectification_rate"] == pytest.approx(2 / 6)
    # a rectified issue past its deadline is waiting for the office, not for the unit
    assert body["overdue"] == 2


def test_summary_of_an_empty_campaign_has_no_rate_rather_than_zero(client, office):
    body = client.get("/api/v1/stats/summary", headers=office["headers"]).json()
    assert body["total"] == 0 and body["accepted"] == 0
    assert body["rectification_rate"] is None
    assert set(body["by_status"]) == {
        "reported",
        "dispatched",
        "in_progress",
        "rectified",
        "closed",
        "rejected",
        "merged",
    }


@pytest.mark.parametrize(
    "path", ["summary", "units", "sites", "trend", "ranking", "indicators", "overdue", "hotspots"]
)
def test_only_the_office_and_admin_see_the_dashboard(client, make_user, units, admin, path):
    url = f"/api/v1/stats/{path}"
    assert client.get(url).status_code == 401
    for role, unit in [(Role.unit, units["cgj"]), (Role.grid_worker, None), (Role.road_chief, units["cgj"])]:
        if path == "sites" and role == Role.unit:
            continue  # a unit reads its own sites (tests/inspections)
        user = make_user(f"u_{role}", role, unit)
        r = client.get(url, headers=user["headers"])
        assert r.status_code == 403, (role, r.text)
        assert "office" in r.json()["detail"]
    assert client.get(url, headers=admin["headers"]).status_code == 200


def test_filters_narrow_every_figure(client, office, campaign, units):
    h = office["headers"]

    def total(**params) -> int:
        r = client.get("/api/v1/stats/summary", params=params, headers=h)
        assert r.status_code == 200, r.text
        return r.json()["total"]

    assert total(unit="zjj") == 2
    assert total(category="fac.road") == 2
    assert total(category="fac.road,fac.lamp") == 3
    today = utcnow().date()
    assert total(**{"from": (today - timedelta(days=3)).isoformat()}) == 10
    assert total(**{"to": (today - timedelta(days=3)).isoformat()}) == 0
    assert total(**{"from": (utcnow() + timedelta(hours=1)).isoformat()}) == 0


def test_zone_and_layer_filters_count_issues_in_those_zones(client, office, make_issue, units):
    make_issue("dispatched", units["cgj"], zones=(("site", "S1"), ("grid", "G1")))
    make_issue("dispatched", units["cgj"], zones=(("site", "S2"),))
    make_issue("dispatched", units["cgj"], zones=(("road", "R1"),))
    h = office["headers"]

    def total(**params) -> int:
        return client.get("/api/v1/stats/summary", params=params, headers=h).json()["total"]

    assert total(layer="site") == 2
    assert total(layer="grid") == 1
    assert total(layer="site", zone="S2") == 1
    assert total(zone="site:S1") == 1
    assert total(zone="R1") == 1


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"unit": "nope"}, "unit"),
        ({"category": "env.nope"}, "category"),
        ({"layer": "county"}, "layer"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-13-45"}, "to"),
        ({"from": "2026-11-20", "to": "2026-11-10"}, "to"),
    ],
)
def test_a_bad_filter_is_422_naming_it(client, office, params, named):
    r = client.get("/api/v1/stats/summary", params=params, headers=office["headers"])
    assert r.status_code == 422
    assert r.json()["detail"].startswith(named)


def test_units_list_every_unit_with_its_assigned_open_overdue_and_rate(client, office, campaign):
    r = client.get("/api/v1/stats/units", headers=office["headers"])
    assert r.status_code == 200, r.text
    rows = {row["unit"]: row for row in r.json()}
    assert rows["cgj"] == {
        "unit": "cgj",
        "name": "区城管局",
        "assigned": 4,  # the reported one proposed to cgj is not assigned yet
        "closed": 2,
        "open": 2,
        "overdue": 1,
        "rectification_rate": 0.5,
    }
    assert (
        rows["zjj"]["assigned"] == 2
        and rows["zjj"]["overdue"] == 1
        and rows["zjj"]["rectification_rate"] == 0
    )
    assert rows["idle"]["assigned"] == 0 and rows["idle"]["rectification_rate"] is None
    only = client.get("/api/v1/stats/units", params={"unit": "zjj"}, headers=office["headers"]).json()
    assert [row["unit"] for row in only] == ["zjj"]


def test_a_unit_sees_its_own_figures_and_no_other_units(client, office, make_user, campaign, units):
    own = make_user("cgj_user", Role.unit, units["cgj"])
    r = client.get("/api/v1/stats/units/cgj", headers=own["headers"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["assigned"], body["closed"], body["open"], body["overdue"]) == (4, 2, 2, 1)
    assert body["by_status"]["closed"] == 2 and body["by_status"]["reported"] == 1
    assert body["indicators"]["rectification_rate"] == 0.5
    assert client.get("/api/v1/stats/units/zjj", headers=own["headers"]).status_code == 403
    grid = make_user("grid1", Role.grid_worker)
    assert client.get("/api/v1/stats/units/cgj", headers=grid["headers"]).status_code == 403
    assert client.get("/api/v1/stats/units/zjj", headers=office["headers"]).json()["overdue"] == 1
    assert client.get("/api/v1/stats/units/nope", headers=office["headers"]).status_code == 404


def test_on_time_closure_and_rework_rates(client, office, make_issue, units):
    now, cgj = utcnow(), units["cgj"]
    due = now - timedelta(days=2)
    make_issue("closed", cgj, due_at=due, rectified_at=due - timedelta(hours=1))  # on time
    make_issue(
        "closed", cgj, due_at=due, rectified_at=due + timedelta(hours=1), reopen_count=1
    )  # late, reworked
    make_issue("in_progress", cgj, due_at=now - PAST)  # due, not closed
    make_issue("in_progress", cgj, due_at=now - PAST, extension_pending=True)  # postponed: not counted as due
    make_issue("dispatched", cgj, due_at=now + PAST)  # not due yet
    make_issue("in_progress", cgj, due_at=now + PAST, reopen_count=2, rectified_at=now - PAST)  # reworked
    make_issue("rectified", cgj)
    body = client.get("/api/v1/stats/indicators", headers=office["headers"]).json()
    assert body["due"] == 3
    assert body["closed_on_time"] == 1
    assert body["on_time_rate"] == pytest.approx(1 / 3)
    assert body["rectified"] == 4
    assert body["reopened"] == 2
    assert body["rework_rate"] == 0.5
    assert body["extension_pending"] == 1
    assert body["overdue"] == 2


def test_sites_count_open_overdue_and_closed_issues_per_site(client, office, make_issue, make_zone, units):
    cgj = units["cgj"]
    make_zone("site", "S1", cgj, name="人民广场", category="park_square")
    make_zone("site", "S2", units["zjj"], name="建设路工地", category="construction")
    now = utcnow()
    make_issue("reported", cgj, zones=(("site", "S1"),))
    make_issue("in_progress", cgj, zones=(("site", "S1"),), due_at=now - PAST)
    make_issue("closed", cgj, zones=(("site", "S1"),))
    make_issue("rejected", cgj, zones=(("site", "S1"),))
    make_issue("in_progress", cgj, zones=(("grid", "S1"),))  # a grid that shares the code is not the site
    r = client.get("/api/v1/stats/sites", headers=office["headers"])
    assert r.status_code == 200, r.text
    contract = (
        "code",
        "name",
        "category",
        "unit",
        "open",
        "overdue",
        "closed",
    )  # readiness fields come beside
    assert [{k: site[k] for k in contract} for site in r.json()] == [
        {
            "code": "S1",
            "name": "人民广场",
            "category": "park_square",
            "unit": "cgj",
            "open": 2,
            "overdue": 1,
            "closed": 1,
        },
        {
            "code": "S2",
            "name": "建设路工地",
            "category": "construction",
            "unit": "zjj",
            "open": 0,
            "overdue": 0,
            "closed": 0,
        },
    ]
    filtered = client.get("/api/v1/stats/sites", params={"category": "fac.road"}, headers=office["headers"])
    assert filtered.json()[0]["open"] == 0


def test_overdue_list_is_most_overdue_first_and_pages_by_cursor(client, office, make_issue, units):
    now = utcnow()
    late = [make_issue("dispatched", units["cgj"], due_at=now - timedelta(hours=h)) for h in (1, 5, 3)]
    make_issue("rectified", units["cgj"], due_at=now - timedelta(hours=9))  # waiting for the office
    make_issue("dispatched", units["cgj"], due_at=now + timedelta(hours=1))  # not yet due
    h = office["headers"]
    first = client.get("/api/v1/stats/overdue", params={"limit": 2}, headers=h).json()
    assert [i["ref"] for i in first["items"]] == [late[1].ref, late[2].ref]
    assert first["items"][0]["overdue_hours"] == pytest.approx(5, abs=0.05)
    assert first["items"][0]["unit"] == "cgj"
    second = client.get(
        "/api/v1/stats/overdue", params={"limit": 2, "cursor": first["next_cursor"]}, headers=h
    ).json()
    assert [i["ref"] for i in second["items"]] == [late[0].ref]
    assert second["next_cursor"] is None
    bad = client.get("/api/v1/stats/overdue", params={"cursor": "garbage!"}, headers=h)
    assert bad.status_code == 422 and "cursor" in bad.json()["detail"]


def test_ranking_puts_the_best_on_the_red_list_and_the_most_overdue_on_the_black(
    client, office, make_issue, make_unit
):
    now = utcnow()
    good, bad, mid = make_unit("good"), make_unit("bad"), make_unit("mid")
    for _ in range(3):
        make_issue("closed", good)
    make_issue("dispatched", bad, due_at=now - PAST)
    make_issue("dispatched", bad, due_at=now - PAST)
    make_issue("closed", mid)
    make_issue("dispatched", mid, due_at=now - PAST)
    make_unit("empty")
    r = client.get("/api/v1/stats/ranking", headers=office["headers"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert [u["unit"] for u in body["red_list"]] == ["good", "mid", "bad"]
    assert [u["unit"] for u in body["black_list"]] == ["bad", "mid", "good"]
    assert body["red_list"][0] == {
        "rank": 1,
        "unit": "good",
        "name": "单位good",
        "assigned": 3,
        "closed": 3,
        "overdue": 0,
        "rectification_rate": 1.0,
    }
    top = client.get("/api/v1/stats/ranking", params={"limit": 1}, headers=office["headers"]).json()
    assert len(top["red_list"]) == 1 and top["black_list"][0]["unit"] == "bad"
