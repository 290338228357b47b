"""What the unit's and the office's screens read from one issue: the actions open to the viewer, and a pending
request for more time."""

from datetime import timedelta

from app.models.base import utcnow


def detail(client, world, issue_id: str, who: str) -> dict:
    r = client.get(f"/api/v1/issues/{issue_id}", headers=world.h(who))
    assert r.status_code == 200, r.text
    return r.json()


def test_each_viewer_is_told_the_actions_open_to_it_now(report, act, client, world, make_photo):
    issue_id = report().json()["id"]
    assert detail(client, world, issue_id, "office")["actions"] == ["accept", "reject", "merge"]
    assert detail(client, world, issue_id, "unit")["actions"] == []  # proposed to it, not yet dispatched
    assert detail(client, world, issue_id, "grid")["actions"] == []
    assert act(issue_id, "office", "accept").status_code == 200
    assert detail(client, world, issue_id, "office")["actions"] == ["reassign"]
    assert set(detail(client, world, issue_id, "unit")["actions"]) == {
        "start",
        "dispute",
        "rectify",
        "extend",
    }
    r = act(issue_id, "unit", "rectify", photo_ids=[make_photo()])
    assert r.status_code == 200, r.text
    assert r.json()["actions"] is None  # only a GET of the issue says
    assert detail(client, world, issue_id, "unit")["actions"] == []
    assert detail(client, world, issue_id, "office")["actions"] == ["verify", "reopen"]
    assert detail(client, world, issue_id, "office_cgj")["actions"] == ["reopen"]  # its unit rectified it


def test_a_pending_extension_is_shown_until_the_office_decides(report, act, client, world):
    issue_id = report().json()["id"]
    act(issue_id, "office", "accept")
    assert detail(client, world, issue_id, "office")["pending_extension"] is None
    wanted = (utcnow() + timedelta(days=10)).replace(microsecond=0)
    r = act(issue_id, "unit", "extend", note="需要采购材料", due_at=wanted.isoformat())
    assert r.status_code == 200, r.text
    office_view = detail(client, world, issue_id, "office")
    pending = office_view["pending_extension"]
    assert pending["note"] == "需要采购材料" and pending["actor"] == "unit" and pending["actor_unit"] == "cgj"
    assert pending["due_at"].startswith(wanted.strftime("%Y-%m-%dT%H:%M:%S"))
    assert {"grant_extension", "refuse_extension"} <= set(office_view["actions"])
    assert "extend" not in detail(client, world, issue_id, "unit")["actions"]  # one request at a time
    assert detail(client, world, issue_id, "unit")["pending_extension"]["note"] == "需要采购材料"
    listed = client.get("/api/v1/issues", headers=world.h("office")).json()["items"][0]
    assert listed["pending_extension"]["note"] == "需要采购材料"
    assert act(issue_id, "office", "grant_extension").status_code == 200
    granted = detail(client, world, issue_id, "office")
    assert granted["pending_extension"] is None and granted["due_at"].startswith(wanted.strftime("%Y-%m-%d"))
    assert "grant_extension" not in granted["actions"]
