"""The daily trend in local days, and hot spots where closed problems come back."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.models import Role
from app.models.base import utcnow
from app.services.stats.filters import StatsFilter
from app.services.stats.indicators import hotspots, trend

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def office(make_user) -> dict:
    return make_user("office1", Role.office)


def local(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A moment `day_offset` local days from today, at hour:minute Beijing time."""
    today = utcnow().astimezone(TZ).date()
    return datetime.combine(today + timedelta(days=day_offset), time(hour, minute), TZ)


def test_trend_counts_new_and_closed_per_local_day(client, office, make_issue, make_unit):
    unit = make_unit("cgj")
    # 23:30 and 00:30 Beijing time are the same UTC date but two local days
    make_issue("reported", created_at=local(-2, 23, 30))
    make_issue("reported", created_at=local(-1, 0, 30))
    make_issue("closed", unit, created_at=local(-3, 9), closed_at=local(-1, 10), rectified_at=local(-2, 10))
    r = client.get("/api/v1/stats/trend", params={"days": 3}, headers=office["headers"])
    assert r.status_code == 200, r.text
    days = r.json()
    assert [d["date"] for d in days] == [local(k, 0).date().isoformat() for k in (-2, -1, 0)]
    assert [d["new"] for d in days] == [1, 1, 0]
    assert [d["closed"] for d in days] == [0, 1, 0]


def test_trend_overdue_is_what_was_overdue_at_each_day_end(session, settings, make_issue, make_unit):
    unit = make_unit("cgj")
    now = utcnow()
    # due two days ago at noon, rectified yesterday at noon: overdue at the end of day -2 only
    make_issue(
        "closed",
        unit,
        created_at=local(-5, 9),
        due_at=local(-2, 12),
        rectified_at=local(-1, 12),
        closed_at=local(-1, 15),
    )
    # due three days ago, still in progress: overdue every day shown
    make_issue("in_progress", unit, created_at=local(-5, 9), due_at=local(-3, 12))
    # rectified before its deadline: never overdue
    make_issue("closed", unit, created_at=local(-5, 9), due_at=local(-1, 12), rectified_at=local(-2, 12))
    # due in the future
    make_issue("dispatched", unit, due_at=now + timedelta(days=2))
    days = trend(session, settings, StatsFilter(), days=4, now=now)
    assert [d.overdue for d in days] == [1, 2, 1, 1]
    # today's point is now: the same figure as the summary's overdue count
    assert days[-1].overdue == 1


def test_trend_rejects_an_absurd_number_of_days(client, office):
    r = client.get("/api/v1/stats/trend", params={"days": 0}, headers=office["headers"])
    assert r.status_code == 422 and "days" in r.json()["detail"]
    assert (
        client.get("/api/v1/stats/trend", params={"days": 367}, headers=office["headers"]).status_code == 422
    )


def test_a_problem_back_near_where_one_was_closed_is_a_hotspot(client, office, make_issue, make_unit):
    unit = make_unit("cgj")
    now = utcnow()
    lat, lon = 28.2000, 112.9500
    closed = make_issue(
        "closed",
        unit,
        category="env.litter",
        lat=lat,
        lon=lon,
        created_at=now - timedelta(days=12),
        rectified_at=now - timedelta(days=11),
        closed_at=now - timedelta(days=10),
    )
    # 20 m north, 5 days later: a recurrence
    make_issue(
        "reported", category="env.litter", lat=lat + 20 / 111_195, lon=lon, created_at=now - timedelta(days=5)
    )
    # 30 m east: also one
    make_issue(
        "dispatched",
        unit,
        category="env.litter",
        lat=lat,
        lon=lon + 0.00031,
        created_at=now - timedelta(days=2),
    )
    # not recurrences: another category, too far (80 m), before the closure, too long after (40 days)
    make_issue("reported", category="fac.lamp", lat=lat, lon=lon, created_at=now - timedelta(days=5))
    make_issue(
        "reported", category="env.litter", lat=lat + 80 / 111_195, lon=lon, created_at=now - timedelta(days=5)
    )
    make_issue("reported", category="env.litter", lat=lat, lon=lon, created_at=now - timedelta(days=11))
    old = make_issue(
        "closed",
        unit,
        category="fac.road",
        lat=lat,
        lon=lon,
        created_at=now - timedelta(days=80),
        rectified_at=now - timedelta(days=71),
        closed_at=now - timedelta(days=70),
    )
    make_issue("reported", category="fac.road", lat=lat, lon=lon, created_at=now - timedelta(days=25))
    r = client.get("/api/v1/stats/hotspots", headers=office["headers"])
    assert r.status_code == 200, r.text
    spots = r.json()
    assert len(spots) == 1, spots
    spot = spots[0]
    assert spot["ref"] == closed.ref and spot["recurrences"] == 2
    assert spot["category"] == "env.litter" and spot["category_name"] == "暴露垃圾、果壳纸屑"
    assert spot["unit"] == "cgj"
    assert datetime.fromisoformat(spot["last_recurrence_at"]) == pytest.approx(
        now - timedelta(days=2), abs=timedelta(seconds=1)
    )
    assert old.ref not in [s["ref"] for s in spots]


def test_hotspot_radius_and_days_are_settings(session, settings, make_issue, make_unit):
    unit = make_unit("cgj")
    now = utcnow()
    make_issue(
        "closed",
        unit,
        lat=28.2,
        lon=112.95,
        created_at=now - timedelta(days=12),
        rectified_at=now - timedelta(days=11),
        closed_at=now - timedelta(days=10),
    )
    make_issue("reported", lat=28.2 + 80 / 111_195, lon=112.95, created_at=now - timedelta(days=1))
    assert hotspots(session, settings, StatsFilter(), now=now) == []
    wider = settings.model_copy(update={"hotspot_radius_m": 100})
    assert [s.recurrences for s in hotspots(session, wider, StatsFilter(), now=now)] == [1]
    shorter = settings.model_copy(update={"hotspot_radius_m": 100, "hotspot_days": 5})
    assert hotspots(session, shorter, StatsFilter(), now=now) == []
