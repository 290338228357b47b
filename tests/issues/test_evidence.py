"""The anti-fraud rules on rectify and verify photos, and the on-the-spot fix (立行立改), through the API."""

from datetime import timedelta

import pytest

from app.models.base import utcnow
from tests.issues.conftest import LAT, LON, offset


@pytest.fixture
def working(report, act):
    """A fresh issue, dispatched and started: (issue id, its report photo id)."""

    def make():
        issue = report().json()
        act(issue["id"], "office", "accept")
        act(issue["id"], "unit", "start")
        return issue["id"], issue["photos"][0]["id"]

    return make


def test_the_issues_own_report_photo_is_refused_as_proof(working, act):
    issue_id, report_photo = working()
    r = act(issue_id, "unit", "rectify", photo_ids=[report_photo])
    assert r.status_code == 422
    assert r.json()["detail"].startswith("photo_reused") and "this issue" in r.json()["detail"]


def test_a_photo_attached_to_another_issue_is_refused(working, act, report):
    other = report(category="fac.bench").json()
    issue_id, _ = working()
    r = act(issue_id, "unit", "rectify", photo_ids=[other["photos"][0]["id"]])
    assert (
        r.status_code == 422 and "photo_reused" in r.json()["detail"] and other["ref"] in r.json()["detail"]
    )


def test_a_perceptual_look_alike_is_refused_and_a_different_picture_passes(working, act, report, make_photo):
    base = 0x1234_5678_9ABC_DEF0
    first = report(photo_ids=[make_photo(phash_int=base)], category="fac.bench").json()
    issue_id, _ = working()
    near = make_photo(phash_int=base ^ 0b111111)  # 6 bits apart: the same picture re-encoded
    r = act(issue_id, "unit", "rectify", photo_ids=[near])
    assert (
        r.status_code == 422 and "photo_reused" in r.json()["detail"] and first["ref"] in r.json()["detail"]
    )
    far = make_photo(phash_int=base ^ 0b1111111)  # 7 bits apart
    assert act(issue_id, "unit", "rectify", photo_ids=[far]).status_code == 200


def test_a_photo_too_far_from_the_issue_is_refused(working, act, make_photo, settings):
    issue_id, _ = working()
    r = act(issue_id, "unit", "rectify", photo_ids=[make_photo(offset(150))])
    assert r.status_code == 422 and r.json()["detail"].startswith("photo_too_far")
    assert "150 m" in r.json()["detail"]
    # the location the phone sent beside the file counts when EXIF has none
    r = act(issue_id, "unit", "rectify", photo_ids=[make_photo(offset(0, 120), exif=False)])
    assert r.status_code == 422 and "photo_too_far" in r.json()["detail"]
    assert act(issue_id, "unit", "rectify", photo_ids=[make_photo(offset(90))]).status_code == 200


def test_a_photo_taken_before_the_issue_was_reported_is_refused(working, act, make_photo):
    issue_id, _ = working()
    old = make_photo(taken_at=utcnow() - timedelta(hours=2))
    r = act(issue_id, "unit", "rectify", photo_ids=[old])
    assert r.status_code == 422 and r.json()["detail"].startswith("photo_predates_issue")
    within_skew = make_photo(taken_at=utcnow() - timedelta(seconds=120))
    assert act(issue_id, "unit", "rectify", photo_ids=[within_skew]).status_code == 200


def test_the_rules_apply_to_verify_too(working, act, make_photo):
    issue_id, report_photo = working()
    act(issue_id, "unit", "rectify", photo_ids=[make_photo()])
    for photo, rule in [
        (report_photo, "photo_reused"),
        (make_photo(offset(-200)), "photo_too_far"),
        (make_photo(taken_at=utcnow() - timedelta(days=1)), "photo_predates_issue"),
    ]:
        r = act(issue_id, "office", "verify", photo_ids=[photo])
        assert r.status_code == 422 and r.json()["detail"].startswith(rule)
    assert act(issue_id, "office", "verify", photo_ids=[make_photo()]).json()["status"] == "closed"


def test_a_photo_without_place_or_time_is_accepted_and_shown_so(working, act, make_photo):
    issue_id, _ = working()
    bare = make_photo(lon_lat=None, taken_at=None)
    issue = act(issue_id, "unit", "rectify", photo_ids=[bare]).json()
    assert issue["status"] == "rectified"
    assert issue["events"][-1]["flags"] == ["unlocated", "untimed"]
    shown = next(p for p in issue["photos"] if p["id"] == bare)
    assert shown["lat"] is None and shown["taken_at"] is None


def test_a_refused_photo_leaves_nothing_behind(working, act, make_photo, client, world):
    issue_id, report_photo = working()
    act(issue_id, "unit", "rectify", photo_ids=[make_photo(), report_photo])
    issue = client.get(f"/api/v1/issues/{issue_id}", headers=world.h("office")).json()
    assert issue["status"] == "in_progress" and len(issue["photos"]) == 1 and issue["version"] == 3


# -- 立行立改


def test_an_on_the_spot_fix_arrives_rectified_and_waits_for_verification(report, make_photo, act):
    before, after = make_photo(), make_photo()
    r = report(photo_ids=[before], after_photo_ids=[after], fixed_on_site=True, description="随手清理")
    assert r.status_code == 201, r.text
    issue = r.json()
    assert issue["status"] == "rectified" and issue["fixed_on_site"] is True and issue["version"] == 2
    assert [(e["action"], e["to_status"]) for e in issue["events"]] == [
        ("report", "reported"),
        ("rectify", "rectified"),
    ]
    assert "fixed_on_site" in issue["events"][1]["flags"]
    assert {p["id"]: p["role"] for p in issue["photos"]} == {before: "before", after: "after"}
    assert issue["due_at"] is None and issue["overdue"] is False
    # the fixer's unit (sq01) may not verify; the office does
    r = act(issue["id"], "office", "verify", photo_ids=[make_photo()])
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_an_on_the_spot_fix_reopened_goes_to_the_zones_unit_with_a_deadline(report, make_photo, act):
    issue = report(photo_ids=[make_photo()], after_photo_ids=[make_photo()], fixed_on_site=True).json()
    reopened = act(issue["id"], "office", "reopen", note="没有清理干净").json()
    assert reopened["status"] == "in_progress" and reopened["unit"] == "cgj" and reopened["due_at"]
    assert act(issue["id"], "unit", "rectify", photo_ids=[make_photo()]).status_code == 200


@pytest.mark.parametrize(
    ("who", "after", "status", "word"),
    [
        ("office", "fresh", 403, "fixed_on_site"),
        ("unit", "fresh", 403, "fixed_on_site"),
        ("grid", None, 422, "after_photo_ids"),
        ("grid", "same", 422, "photo_reused"),
        ("grid", "far", 422, "photo_too_far"),
        ("grid", "old", 422, "photo_predates_issue"),
    ],
)
def test_on_the_spot_fix_refusals(report, make_photo, who, after, status, word):
    before = make_photo()
    after_ids = {
        "fresh": lambda: [make_photo()],
        None: lambda: [],
        "same": lambda: [before],
        "far": lambda: [make_photo(offset(500))],
        "old": lambda: [make_photo(taken_at=utcnow() - timedelta(hours=3))],
    }[after]()
    r = report(who, photo_ids=[before], after_photo_ids=after_ids, fixed_on_site=True)
    assert r.status_code == status, r.text
    assert word in r.json()["detail"]


def test_an_offline_on_the_spot_fix_sent_hours_later_is_judged_by_its_photo_times(report, make_photo):
    found = utcnow() - timedelta(hours=5)  # the phone was offline all afternoon
    before = make_photo(taken_at=found)
    after = make_photo(taken_at=found + timedelta(minutes=10))
    r = report(photo_ids=[before], after_photo_ids=[after], fixed_on_site=True)
    assert r.status_code == 201 and r.json()["status"] == "rectified"


def test_report_photos_without_place_or_time_mark_the_report(report, make_photo):
    issue = report(photo_ids=[make_photo(lon_lat=None)]).json()
    assert issue["events"][0]["flags"] == ["unlocated"]
    assert (issue["lat"], issue["lon"]) == (LAT, LON)
