"""Directives: sent by the office to units or the units of zones, acknowledged, reported done, overseen."""

from datetime import UTC, datetime, timedelta

import pytest

from app.models.directive import Directive, DirectiveCreate, DirectiveDone
from app.services import directives

SOON = (datetime.now(UTC) + timedelta(days=1)).isoformat()


@pytest.fixture
def send(client, world):
    def post(who: str = "office", **body):
        body.setdefault("title", "周末迎检")
        body.setdefault("text", "各单位于周六前清理责任区暴露垃圾。")
        body.setdefault("due_at", SOON)
        return client.post("/api/v1/directives", json=body, headers=world.h(who))

    return post


def test_the_office_sends_to_units_and_to_the_units_of_zones(send, world, add_channel, outbox, own_photo):
    channel, _ = add_channel(world.units["cgj"], "cgj-group")
    photo = own_photo("office")
    r = send(units=["zjj"], zones=["S001", "grid:G0101"], photo_ids=[photo])
    assert r.status_code == 201, r.text
    d = r.json()
    assert [x["unit"] for x in d["recipients"]] == ["cgj", "sq01", "zjj"]
    assert d["counts"] == {"unread": 3, "read": 0, "done": 0, "late": 0, "total": 3}
    assert d["photo_ids"] == [photo] and d["created_by"] == "office"
    [message] = outbox(kind="directive")  # cgj's group, in the same commit
    assert message.channel_id == channel.id and "周末迎检" in message.title
    assert message.link.endswith(f"/#/directives/{d['id']}")


def test_bad_directives_are_refused_and_nothing_is_saved(send, client, world, own_photo, make_photo):
    assert send(units=[]).status_code == 422
    assert send(units=["nope"]).status_code == 422
    assert send(zones=["road:R9"]).status_code == 422
    assert send(units=["cgj"], due_at=(datetime.now(UTC) - timedelta(hours=1)).isoformat()).status_code == 422
    assert send(units=["cgj"], photo_ids=[make_photo()]).status_code == 422  # not the sender's photo
    assert send(units=["cgj"], due_at="2026-12-01T10:00:00").status_code == 422  # no zone
    assert send(units=["cgj"], title="").status_code == 422
    assert client.get("/api/v1/directives", headers=world.h("office")).json() == []


def test_only_the_office_sends(send, world):
    for who in ("unit", "grid", "road"):
        assert send(who, units=["cgj"]).status_code == 403


def test_a_unit_acknowledges_and_reports_done_and_the_office_sees_who_has_not(send, client, world, own_photo):
    d = send(units=["cgj", "zjj", "sq01"]).json()
    unit = world.h("unit")  # of cgj
    inbox = client.get("/api/v1/directives?state=unread", headers=unit).json()
    assert [x["id"] for x in inbox] == [d["id"]]
    assert [x["unit"] for x in inbox[0]["recipients"]] == ["cgj"]  # a unit sees only its own row
    r = client.post(f"/api/v1/directives/{d['id']}/read", headers=unit)
    assert r.status_code == 200 and r.json()["recipients"][0]["state"] == "read"
    assert client.get("/api/v1/directives?state=unread", headers=unit).json() == []
    done = {"note": "已清理完毕", "photo_ids": [own_photo("unit")]}
    r = client.post(f"/api/v1/directives/{d['id']}/done", json=done, headers=unit)
    assert r.status_code == 200, r.text
    mine = r.json()["recipients"][0]
    assert mine["state"] == "done" and mine["done_by"] == "unit" and mine["photo_ids"] == done["photo_ids"]
    again = {"note": "again", "photo_ids": [own_photo("unit")]}
    assert client.post(f"/api/v1/directives/{d['id']}/done", json=again, headers=unit).status_code == 409
    road = world.h("road")  # of zjj: reports done without acknowledging first
    assert (
        client.post(
            f"/api/v1/directives/{d['id']}/done",
            json={"note": "ok", "photo_ids": [own_photo("road")]},
            headers=road,
        ).status_code
        == 200
    )
    seen = client.get(f"/api/v1/directives/{d['id']}", headers=world.h("office")).json()
    assert {x["unit"]: x["state"] for x in seen["recipients"]} == {
        "cgj": "done",
        "sq01": "unread",
        "zjj": "done",
    }
    assert seen["counts"] == {"unread": 1, "read": 0, "done": 2, "late": 0, "total": 3}


def test_the_office_sees_who_is_late(session, settings, world, own_photo):
    office, unit = world.user("office"), world.user("unit")
    sent_at = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    data = DirectiveCreate(title="t", text="x", due_at=sent_at + timedelta(hours=4), units=["cgj", "zjj"])
    d = directives.send_directive(session, settings, office, data, now=sent_at)
    done = DirectiveDone(note="done late", photo_ids=[own_photo("unit")])
    directives.report_done(session, unit, d.id, done, now=sent_at + timedelta(hours=5))
    later = directives.render(session, office, session.get(Directive, d.id), sent_at + timedelta(hours=6))
    assert {r.unit: r.late for r in later.recipients} == {"cgj": True, "zjj": True}
    before = directives.render(session, office, session.get(Directive, d.id), sent_at + timedelta(hours=3))
    assert {r.unit: r.late for r in before.recipients} == {"cgj": True, "zjj": False}


def test_other_units_cannot_see_or_act_and_the_office_cannot_acknowledge(send, client, world, own_photo):
    d = send(units=["cgj"]).json()
    other = world.h("other_unit")  # of zjj
    assert client.get(f"/api/v1/directives/{d['id']}", headers=other).status_code == 404
    assert client.post(f"/api/v1/directives/{d['id']}/read", headers=other).status_code == 404
    assert client.get("/api/v1/directives", headers=other).json() == []
    assert client.post(f"/api/v1/directives/{d['id']}/read", headers=world.h("office")).status_code == 403
    body = {"note": "x", "photo_ids": [own_photo("unit")]}
    assert (
        client.post(
            f"/api/v1/directives/{d['id']}/done", json={"note": "x", "photo_ids": []}, headers=world.h("unit")
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/api/v1/directives/{d['id']}/done",
            json={**body, "photo_ids": [own_photo("unit2")]},
            headers=world.h("unit"),
        ).status_code
        == 422
    )
    assert client.get("/api/v1/directives/999", headers=world.h("office")).status_code == 404
    assert client.get("/api/v1/directives").status_code == 401


def test_a_directives_photos_are_seen_by_the_office_and_its_recipients_only(
    send, client, session, world, own_photo
):
    from app.models import Photo
    from app.services.photos import may_see_photo

    sent = own_photo("office")
    d = send(units=["cgj", "zjj"], photo_ids=[sent]).json()
    report = own_photo("unit")  # cgj's report that it is done
    done = {"note": "已清理完毕", "photo_ids": [report]}
    assert (
        client.post(f"/api/v1/directives/{d['id']}/done", json=done, headers=world.h("unit")).status_code
        == 200
    )

    def sees(who: str, photo_id: str) -> bool:
        return may_see_photo(session, world.user(who), session.get(Photo, photo_id))

    # the office: both; cgj's colleague: both; zjj (also sent it): the office's photo, not cgj's report
    assert sees("office_cgj", sent) and sees("office_cgj", report) and sees("admin", report)
    assert sees("unit2", sent) and sees("unit2", report)
    assert sees("other_unit", sent) and not sees("other_unit", report)
    # a unit it was not sent to: neither
    assert not sees("grid", sent) and not sees("grid", report)
