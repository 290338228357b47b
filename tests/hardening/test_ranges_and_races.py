"""Out-of-range dates and numbers are 422 (never 500); concurrent creation of the same unit or user is 409."""

import threading
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from app.security import ALGORITHM
from tests.issues.conftest import LAT, LON

EXTREMES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59+00:00"]


@pytest.mark.parametrize("when", EXTREMES)
def test_extreme_times_are_422_on_every_route_that_takes_one(client, world, report, act, when):
    h = world.h("office")
    issue = report().json()
    assert act(issue["id"], "office", "accept").status_code == 200
    r = act(issue["id"], "unit", "extend", note="需要更多时间", due_at=when)
    assert r.status_code == 422, r.text
    for path in (
        f"/api/v1/calendar/due?category=env.litter&start={when.replace('+', '%2B')}",
        f"/api/v1/stats/summary?from={when.replace('+', '%2B')}",
        f"/api/v1/stats/trend?to={when.replace('+', '%2B')}",
    ):
        r = client.get(path, headers=h)
        assert r.status_code == 422, (path, r.text)
    r = client.post(
        "/api/v1/photos",
        files={"file": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")},
        data={"taken_at": when},
        headers=world.h("grid"),
    )
    assert r.status_code == 422, r.text


@pytest.mark.parametrize("when", EXTREMES)
def test_open311_start_and_end_dates_out_of_range_are_refused_not_500(client, when):
    for name in ("start_date", "end_date"):
        r = client.get("/open311/v2/requests.json", params={name: when})
        assert r.status_code == 400, r.text  # GeoReport's code for bad input
        assert name in r.json()[0]["description"]


@pytest.mark.parametrize("subject", [str(2**70), str(-1), "1" * 5000, "0"])
def test_a_token_with_a_huge_subject_is_401_not_500(client, settings, subject):
    now = datetime.now(UTC)
    token = jwt.encode(
        {"sub": subject, "iat": now, "exp": now + timedelta(hours=1)},
        settings.secret_key,
        algorithm=ALGORITHM,
    )
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401, r.text


def test_forged_cursors_with_extreme_times_are_422(client, world):
    import base64
    import json

    cursor = base64.urlsafe_b64encode(json.dumps(["9999-12-31T23:59:59-14:00", "x"]).encode()).decode()
    r = client.get(f"/api/v1/issues?cursor={cursor}", headers=world.h("office"))
    assert r.status_code == 422, r.text
    cursor = base64.urlsafe_b64encode(b"0001-01-01T00:00:00+14:00|x").decode()
    r = client.get(f"/api/v1/stats/overdue?cursor={cursor}", headers=world.h("office"))
    assert r.status_code == 422, r.text


def _at_once(n, fn):
    start = threading.Barrier(n)
    results = [None] * n

    def run(i):
        start.wait(timeout=10)
        results[i] = fn()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_the_same_unit_created_at_once_is_one_201_and_the_rest_409(client, world):
    body = {"code": "new1", "name": "新单位"}
    results = _at_once(4, lambda: client.post("/api/v1/units", json=body, headers=world.h("admin")))
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409], [r.text for r in results]


def test_the_same_user_created_at_once_is_one_201_and_the_rest_409(client, world):
    body = {"username": "twin", "password": "long-enough-1", "role": "grid_worker", "unit": "sq01"}
    results = _at_once(4, lambda: client.post("/api/v1/users", json=body, headers=world.h("admin")))
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409], [r.text for r in results]


def test_a_race_past_the_existence_check_is_still_a_409(session, world):
    from sqlmodel import Session

    from app.db import get_engine
    from app.errors import Conflict
    from app.models import UnitCreate
    from app.services import accounts

    accounts.create_unit(session, UnitCreate(code="dup", name="一"))
    with Session(get_engine()) as other:
        other.exec = lambda *a, **k: type("R", (), {"first": lambda self: None})()  # the check sees nothing
        with pytest.raises(Conflict):
            accounts.create_unit(other, UnitCreate(code="dup", name="二"))


def test_a_point_is_unharmed_by_these_rules(report):
    assert report(lat=LAT, lon=LON).status_code == 201


@pytest.mark.parametrize("query", ["zone=null", "layer=site", "zone=site:S001"])
def test_the_per_site_figures_take_a_zone_or_layer_filter_without_a_500(client, world, report, query):
    report()
    r = client.get(f"/api/v1/stats/sites?{query}", headers=world.h("office"))
    assert r.status_code in (200, 422), r.text  # found by schemathesis: a 500 before
