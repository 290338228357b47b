"""Every row of the action table through the API, with its role, ownership, status and needs refusals."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.issues.conftest import LAT, LON, offset


def refused(r) -> tuple[int, str | None]:
    """A refusal's status and the rule its body names (None where no workflow rule refused)."""
    return r.status_code, r.json().get("rule")


@pytest.fixture
def flow(report, act, make_photo, world):
    """Brings a fresh issue to a status through the API and returns its id."""

    def to(status: str) -> str:
        issue_id = report().json()["id"]
        steps = {
            "reported": [],
            "dispatched": [("office", "accept", {})],
            "in_progress": [("office", "accept", {}), ("unit", "start", {})],
            "rectified": [("office", "accept", {}), ("unit", "start", {}), ("unit", "rectify", "photo")],
            "closed": [
                ("office", "accept", {}),
                ("unit", "rectify", "photo"),
                ("office", "verify", "photo"),
            ],
            "rejected": [("office", "reject", {"note": "not a problem"})],
        }[status]
        for who, action, body in steps:
            if body == "photo":
                body = {"photo_ids": [make_photo()]}
            r = act(issue_id, who, action, **body)
            assert r.status_code == 200, r.text
        return issue_id

    return to


def test_accept_dispatches_to_the_proposed_unit_and_sets_the_deadline(flow, act):
    issue_id = flow("reported")
    before = datetime.now(UTC)
    r = act(issue_id, "office", "accept")
    assert r.status_code == 200, r.text
    issue = r.json()
    assert issue["status"] == "dispatched" and issue["unit"] == "cgj" and issue["version"] == 2
    due = datetime.fromisoformat(issue["due_at"])
    assert due >= before + timedelta(hours=4)  # env.litter: 4 working hours, counted from now
    event = issue["events"][-1]
    assert (event["action"], event["from_status"], event["to_status"], event["actor"], event["unit"]) == (
        "accept",
        "reported",
        "dispatched",
        "office",
        "cgj",
    )
    assert event["due_at"] == issue["due_at"] and event["actor_unit"] == "cjb"
    assert issue["updated_at"] > issue["created_at"]


def test_accept_to_another_unit(flow, act, client, world):
    issue_id = flow("reported")
    assert act(issue_id, "admin", "accept", unit="zjj").json()["unit"] == "zjj"
    # cgj (it was proposed to) still sees it, but may not work it; zjj may
    r = act(issue_id, "unit", "start")
    assert refused(r) == (403, "not_own_unit") and "zjj" in r.json()["detail"]
    assert act(issue_id, "other_unit", "start").status_code == 200


def test_accept_refusals(flow, act):
    issue_id = flow("reported")
    assert refused(act(issue_id, "unit", "accept")) == (403, "role")
    assert refused(act(issue_id, "grid", "accept")) == (403, "role")
    r = act(issue_id, "office", "accept", unit="nope")
    assert refused(r) == (422, "unknown_unit") and "nope" in r.json()["detail"]
    assert refused(act(flow("dispatched"), "office", "accept")) == (409, "status")


def test_accept_without_any_proposed_unit_needs_one(report, act):
    from tests.issues.conftest import OUTSIDE

    issue_id = report(lon=OUTSIDE[0], lat=OUTSIDE[1]).json()["id"]
    r = act(issue_id, "office", "accept")
    assert refused(r) == (422, "needs_unit") and "unit" in r.json()["detail"]
    assert act(issue_id, "office", "accept", unit="zjj").json()["unit"] == "zjj"


def test_reject_needs_a_note(flow, act):
    issue_id = flow("reported")
    r = act(issue_id, "office", "reject")
    assert refused(r) == (422, "needs_note") and r.json()["detail"].startswith("note")
    r = act(issue_id, "office", "reject", note="已清理，非问题")
    assert r.json()["status"] == "rejected" and r.json()["events"][-1]["note"] == "已清理，非问题"
    assert refused(act(issue_id, "office", "accept")) == (409, "status")


def test_merge_into_an_earlier_issue_by_id_or_ref(flow, act, report):
    kept = report().json()
    dup = report().json()
    assert dup["possible_duplicates"][0]["id"] == kept["id"]
    r = act(dup["id"], "office", "merge")
    assert refused(r) == (422, "needs_duplicate_of") and "duplicate_of" in r.json()["detail"]
    r = act(dup["id"], "office", "merge", duplicate_of=dup["id"])
    assert refused(r) == (422, "merge_into_itself")
    r = act(dup["id"], "office", "merge", duplicate_of="2099-999999")
    assert refused(r) == (422, "unknown_issue") and "2099-999999" in r.json()["detail"]
    r = act(dup["id"], "office", "merge", duplicate_of=kept["ref"])
    assert r.status_code == 200 and r.json()["status"] == "merged" and r.json()["duplicate_of"] == kept["id"]
    third = report().json()
    r = act(third["id"], "office", "merge", duplicate_of=dup["id"])
    assert (
        refused(r) == (422, "target_merged") and kept["ref"] in r.json()["detail"]
    )  # merge into the one kept
    assert refused(act(flow("dispatched"), "office", "merge", duplicate_of=kept["id"])) == (409, "status")


def test_start_is_for_the_issues_own_unit(flow, act):
    issue_id = flow("dispatched")
    assert refused(act(issue_id, "other_unit", "start")) == (404, None)  # cannot even see it
    assert refused(act(issue_id, "office", "start")) == (403, "role")
    assert refused(act(issue_id, "grid", "start")) == (403, "role")  # sees it (its zone), may not work it
    r = act(issue_id, "unit2", "start")  # any handler of the unit
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    assert refused(act(issue_id, "unit", "start")) == (409, "status")


def test_dispute_flags_the_issue_back_to_the_office(flow, act):
    issue_id = flow("in_progress")
    assert refused(act(issue_id, "unit", "dispute")) == (422, "needs_note")
    r = act(issue_id, "unit", "dispute", note="这是自来水公司的管道")
    issue = r.json()
    assert issue["status"] == "dispatched" and issue["disputed"] is True
    assert refused(act(issue_id, "unit", "dispute", note="again")) == (409, "already_disputed")
    assert refused(act(issue_id, "office", "dispute", note="x")) == (403, "role")


def test_reassign_needs_a_unit_and_restarts_the_new_units_clock(flow, act):
    issue_id = flow("in_progress")
    old_due = act(issue_id, "unit", "dispute", note="not ours").json()["due_at"]
    assert refused(act(issue_id, "office", "reassign")) == (422, "needs_unit")
    assert refused(act(issue_id, "unit", "reassign", unit="zjj")) == (403, "role")
    r = act(issue_id, "office", "reassign", unit="zjj", note="移交住建局")
    issue = r.json()
    assert issue["unit"] == "zjj" and issue["status"] == "dispatched" and issue["disputed"] is False
    assert issue["due_at"] >= old_due and issue["events"][-1]["unit"] == "zjj"
    r = act(issue_id, "office", "reassign", unit="zjj")
    assert refused(r) == (422, "same_unit") and "already" in r.json()["detail"]
    assert refused(act(flow("rectified"), "office", "reassign", unit="zjj")) == (409, "status")


def test_reassign_to_the_same_unit_turns_a_dispute_down_and_keeps_the_deadline(flow, act):
    issue_id = flow("dispatched")
    due = act(issue_id, "unit", "dispute", note="not ours").json()["due_at"]
    issue = act(issue_id, "office", "reassign", unit="cgj", note="核实属于城管").json()
    assert issue["unit"] == "cgj" and issue["disputed"] is False and issue["due_at"] == due


def test_rectify_needs_photos_and_is_for_the_own_unit(flow, act, make_photo):
    issue_id = flow("in_progress")
    r = act(issue_id, "unit", "rectify")
    assert refused(r) == (422, "needs_photos") and "photo_ids" in r.json()["detail"]
    r = act(issue_id, "unit", "rectify", photo_ids=["nope"])
    assert refused(r) == (422, "unknown_photo") and "nope" in r.json()["detail"]
    assert refused(act(issue_id, "office", "rectify", photo_ids=[make_photo()])) == (403, "role")
    photo = make_photo()
    r = act(issue_id, "unit", "rectify", photo_ids=[photo], note="已清理")
    issue = r.json()
    assert issue["status"] == "rectified" and issue["rectified_at"]
    assert issue["events"][-1]["photo_ids"] == [photo] and issue["events"][-1]["flags"] == []
    assert [p["role"] for p in issue["photos"]] == ["report", "rectify"]
    # straight from dispatched too
    assert act(flow("dispatched"), "unit", "rectify", photo_ids=[make_photo()]).status_code == 200


def test_verify_by_another_unit_closes(flow, act, make_photo):
    issue_id = flow("rectified")
    assert refused(act(issue_id, "unit", "verify", photo_ids=[make_photo()])) == (403, "role")
    r = act(issue_id, "office_cgj", "verify", photo_ids=[make_photo()])
    assert refused(r) == (403, "verifier_of_rectifying_unit") and "another unit" in r.json()["detail"]
    assert refused(act(issue_id, "office", "verify")) == (422, "needs_photos")
    r = act(issue_id, "admin", "verify", photo_ids=[make_photo()])
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["closed_at"]
    assert refused(act(issue_id, "office", "reopen", note="x")) == (409, "status")


def test_reopen_sends_it_back_and_counts(flow, act, make_photo):
    issue_id = flow("rectified")
    assert refused(act(issue_id, "office", "reopen")) == (422, "needs_note")
    issue = act(issue_id, "office", "reopen", note="垃圾又出现了").json()
    assert issue["status"] == "in_progress" and issue["reopen_count"] == 1 and issue["rectified_at"] is None
    act(issue_id, "unit", "rectify", photo_ids=[make_photo()])
    issue = act(issue_id, "office", "reopen", note="还是没清理干净").json()
    assert issue["reopen_count"] == 2
    assert refused(act(flow("in_progress"), "office", "reopen", note="x")) == (409, "status")


def test_extension_asked_refused_asked_granted(flow, act):
    issue_id = flow("in_progress")
    assert refused(act(issue_id, "office", "grant_extension")) == (
        409,
        "no_extension_pending",
    )  # nothing asked
    assert refused(act(issue_id, "unit", "extend")) == (422, "needs_note")  # a reason is needed
    asked = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    issue = act(issue_id, "unit", "extend", note="需要吊车", due_at=asked).json()
    assert issue["extension_pending"] is True and issue["status"] == "in_progress"
    assert refused(act(issue_id, "unit", "extend", note="again")) == (409, "extension_pending")
    assert refused(act(issue_id, "office", "refuse_extension")) == (422, "needs_note")
    issue = act(issue_id, "office", "refuse_extension", note="4小时内可完成").json()
    assert issue["extension_pending"] is False
    due = issue["due_at"]
    act(issue_id, "unit", "extend", note="吊车未到", due_at=asked)
    assert refused(act(issue_id, "unit", "grant_extension")) == (403, "role")
    issue = act(issue_id, "office", "grant_extension").json()  # the deadline asked for
    assert datetime.fromisoformat(issue["due_at"]) == datetime.fromisoformat(asked) and issue["due_at"] != due
    assert [e["action"] for e in issue["events"]][-4:] == [
        "extend",
        "refuse_extension",
        "extend",
        "grant_extension",
    ]


def test_an_extension_must_move_the_deadline_later(flow, act):
    issue_id = flow("in_progress")
    act(issue_id, "unit", "extend", note="x")
    r = act(issue_id, "office", "grant_extension")
    assert refused(r) == (422, "needs_due_at") and "due_at" in r.json()["detail"]
    r = act(issue_id, "office", "grant_extension", due_at="2020-01-01T00:00:00+08:00")
    assert refused(r) == (422, "due_not_later")
    r = act(issue_id, "office", "grant_extension", due_at="2030-01-01T00:00:00")  # no zone
    assert refused(r) == (422, None) and "due_at" in r.json()["detail"]
    assert act(issue_id, "office", "grant_extension", due_at="2030-01-01T00:00:00+08:00").status_code == 200


def test_an_unknown_action_and_fields_it_does_not_take(flow, act):
    issue_id = flow("dispatched")
    r = act(issue_id, "office", "approve")
    assert refused(r) == (422, "unknown_action") and "approve" in r.json()["detail"]
    r = act(issue_id, "unit", "start", unit="zjj")
    assert refused(r) == (422, "unused_field") and "unit" in r.json()["detail"]


def test_unknown_or_invisible_issues_answer_404(act, flow):
    assert refused(act("no-such-issue", "office", "accept")) == (404, None)
    issue_id = flow("reported")
    assert refused(act(issue_id, "other_unit", "accept")) == (404, None)  # before 403
    assert refused(act(issue_id, "grid2", "verify", photo_ids=["x"])) == (404, None)


def test_a_stale_version_from_the_client_is_a_conflict(flow, act):
    issue_id = flow("reported")
    r = act(issue_id, "office", "accept", version=7)
    assert refused(r) == (409, "stale_version") and "reload" in r.json()["detail"]
    assert act(issue_id, "office", "accept", version=1).status_code == 200


def test_the_event_trail_is_append_only_and_versions_rise(flow, act, client, world, make_photo):
    issue_id = flow("closed")
    issue = client.get(f"/api/v1/issues/{issue_id}", headers=world.h("office")).json()
    assert [e["seq"] for e in issue["events"]] == [1, 2, 3, 4] == list(range(1, issue["version"] + 1))
    assert [(e["from_status"], e["to_status"]) for e in issue["events"]] == [
        (None, "reported"),
        ("reported", "dispatched"),
        ("dispatched", "rectified"),
        ("rectified", "closed"),
    ]
    times = [e["at"] for e in issue["events"]]
    assert times == sorted(times) and issue["updated_at"] == times[-1]


@pytest.mark.parametrize("where", [offset(5), (LON, LAT)])
def test_photos_near_the_issue_pass(flow, act, make_photo, where):
    issue_id = flow("in_progress")
    assert act(issue_id, "unit", "rectify", photo_ids=[make_photo(where)]).status_code == 200
