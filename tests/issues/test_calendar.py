"""The working calendar API: the admin keeps holidays and make-up workdays; deadlines are counted on them."""

from app.models import Role


def test_working_time_is_readable_by_anyone_signed_in(client, make_user):
    grid = make_user("g1", Role.grid_worker)
    r = client.get("/api/v1/calendar", headers=grid["headers"])
    assert r.status_code == 200
    assert r.json() == {
        "timezone": "Asia/Shanghai",
        "work_periods": ["08:30-12:00", "13:30-17:30"],
        "work_weekdays": [0, 1, 2, 3, 4],
        "day_hours": 7.5,
    }
    assert client.get("/api/v1/calendar").status_code == 401


def test_admin_sets_lists_and_deletes_days(client, admin):
    h = admin["headers"]
    r = client.put("/api/v1/calendar/days/2026-10-01", json={"kind": "holiday", "name": "国庆节"}, headers=h)
    assert r.status_code == 200 and r.json() == {"day": "2026-10-01", "kind": "holiday", "name": "国庆节"}
    r = client.put("/api/v1/calendar/days/2026-10-01", json={"kind": "workday"}, headers=h)
    assert r.json()["kind"] == "workday"  # replaced, not duplicated
    bulk = [
        {"day": "2026-10-02", "kind": "holiday", "name": "国庆节"},
        {"day": "2026-10-10", "kind": "workday", "name": "国庆调休"},
    ]
    assert client.put("/api/v1/calendar/days", json=bulk, headers=h).status_code == 200
    days = client.get("/api/v1/calendar/days?from=2026-10-01&to=2026-10-09", headers=h).json()
    assert [d["day"] for d in days] == ["2026-10-01", "2026-10-02"]
    assert client.delete("/api/v1/calendar/days/2026-10-01", headers=h).status_code == 204
    r = client.delete("/api/v1/calendar/days/2026-10-01", headers=h)
    assert r.status_code == 404 and "2026-10-01" in r.json()["detail"]
    assert len(client.get("/api/v1/calendar/days", headers=h).json()) == 2


def test_only_admin_changes_the_calendar(client, make_user):
    office = make_user("o1", Role.office)
    r = client.put("/api/v1/calendar/days/2026-10-01", json={"kind": "holiday"}, headers=office["headers"])
    assert r.status_code == 403
    r = client.delete("/api/v1/calendar/days/2026-10-01", headers=office["headers"])
    assert r.status_code == 403


def test_bad_days_and_kinds_are_refused(client, admin):
    h = admin["headers"]
    assert (
        client.put("/api/v1/calendar/days/2026-13-01", json={"kind": "holiday"}, headers=h).status_code == 422
    )
    r = client.put("/api/v1/calendar/days/2026-10-01", json={"kind": "party"}, headers=h)
    assert r.status_code == 422 and "kind" in r.json()["detail"]
    twice = [{"day": "2026-10-02", "kind": "holiday"}, {"day": "2026-10-02", "kind": "workday"}]
    r = client.put("/api/v1/calendar/days", json=twice, headers=h)
    assert r.status_code == 422 and "2026-10-02" in r.json()["detail"]
    assert client.get("/api/v1/calendar/days", headers=h).json() == []  # nothing half-saved
    r = client.get("/api/v1/calendar/days?from=2026-10-09&to=2026-10-01", headers=h)
    assert r.status_code == 422


def test_deadline_preview_counts_holidays_and_make_up_days(client, admin):
    h = admin["headers"]
    # fac.lamp: 2 working days. Wed 2026-09-30 09:00 +08:00 -> Fri 10-02 09:00 on a plain week
    start = "2026-09-30T09:00:00%2B08:00"
    r = client.get(f"/api/v1/calendar/due?category=fac.lamp&start={start}", headers=h)
    assert r.status_code == 200 and r.json()["due_at"] == "2026-10-02T09:00:00+08:00"
    holidays = [{"day": f"2026-10-0{d}", "kind": "holiday", "name": "国庆节"} for d in range(1, 8)]
    client.put("/api/v1/calendar/days", json=[*holidays, {"day": "2026-10-10", "kind": "workday"}], headers=h)
    # 15 h: Wed 30th from 09:00 gives 7 h, the holiday week none, Thu 8th 7.5 h, Fri 9th the last half hour
    r = client.get(f"/api/v1/calendar/due?category=fac.lamp&start={start}", headers=h)
    assert r.json()["due_at"] == "2026-10-09T09:00:00+08:00"
    # a naive start is refused, an unknown category too
    r = client.get("/api/v1/calendar/due?category=fac.lamp&start=2026-09-30T09:00:00", headers=h)
    assert r.status_code == 422
    r = client.get(f"/api/v1/calendar/due?category=nope&start={start}", headers=h)
    assert r.status_code == 422 and "nope" in r.json()["detail"]
