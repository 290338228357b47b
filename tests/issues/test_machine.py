"""The pure state machine, pair by pair: every (status, action, role) of the table, and every refusal."""

from datetime import UTC, datetime, timedelta

import pytest

from app.models import Role
from app.workflow.evidence import EvidenceRules, PhotoFacts
from app.workflow.machine import (
    Actor,
    Context,
    IssueState,
    IssueTarget,
    Refusal,
    RefusalKind,
    RefusalRule,
    Report,
    Request,
    Transition,
    UnitTarget,
    apply,
    may_see,
    report,
)
from app.workflow.rules import ACTIONS
from app.workflow.states import Action, Status

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
REPORTED_AT = NOW - timedelta(days=1)
NEW_DUE = NOW + timedelta(hours=4)
OLD_DUE = NOW + timedelta(hours=1)
RULES = EvidenceRules(radius_m=100, clock_skew_s=300)
CTX = Context(now=NOW, new_due=NEW_DUE, evidence=RULES)

# units: 1 the issue's (and its zone's), 2 another, 3 the office's own
OWN, OTHER, OFFICE_UNIT = 1, 2, 3
ACTORS = {
    "admin": Actor(1, "admin"),
    "office": Actor(2, "office", OFFICE_UNIT),
    "unit": Actor(3, "unit", OWN, "cgj"),
    "grid_worker": Actor(4, "grid_worker", OWN),
    "road_chief": Actor(5, "road_chief", OWN),
}
# the table of CONTRACT.md, written out again here as the oracle: who, from, to (None: stays)
OFFICE, UNIT = {"office", "admin"}, {"unit"}
WORKING = {"dispatched", "in_progress"}
TABLE = {
    "accept": (OFFICE, {"reported"}, "dispatched"),
    "reject": (OFFICE, {"reported"}, "rejected"),
    "merge": (OFFICE, {"reported"}, "merged"),
    "start": (UNIT, {"dispatched"}, "in_progress"),
    "dispute": (UNIT, WORKING, "dispatched"),
    "reassign": (OFFICE, WORKING, "dispatched"),
    "rectify": (UNIT, WORKING, "rectified"),
    "verify": (OFFICE, {"rectified"}, "closed"),
    "reopen": (OFFICE, {"rectified"}, "in_progress"),
    "extend": (UNIT, WORKING, None),
    "grant_extension": (OFFICE, WORKING, None),
    "refuse_extension": (OFFICE, WORKING, None),
}


def photo(pid="p-new", **kw) -> PhotoFacts:
    return PhotoFacts(pid, distance_m=kw.pop("distance_m", 5.0), taken_at=kw.pop("taken_at", NOW), **kw)


def issue(status="reported", **kw) -> IssueState:
    base = {
        "id": "i1",
        "ref": "2026-000001",
        "status": Status(status),
        "reporter_id": 4,
        "created_at": REPORTED_AT,
        "unit_id": OWN if status != "reported" else None,
        "unit_code": "cgj",
        "proposed_unit_id": OWN,
        "zone_unit_ids": frozenset({OWN}),
        "due_at": OLD_DUE if status in WORKING else None,
        "extension_pending": False,
    }
    base.update(kw)
    return IssueState(**base)


def valid_request(action: str) -> Request:
    """A request meeting every need of its action."""
    return {
        "accept": Request("accept"),
        "reject": Request("reject", note="not a problem"),
        "merge": Request(
            "merge", duplicate_of=IssueTarget("i0", ref="2026-000000", status=Status.dispatched)
        ),
        "start": Request("start"),
        "dispute": Request("dispute", note="this is the water company's pipe"),
        "reassign": Request("reassign", unit=UnitTarget("zjj", OTHER)),
        "rectify": Request("rectify", photos=(photo(),)),
        "verify": Request("verify", photos=(photo("p-verify"),)),
        "reopen": Request("reopen", note="litter is back"),
        "extend": Request("extend", note="needs a crane"),
        "grant_extension": Request("grant_extension", due_at=NOW + timedelta(days=3)),
        "refuse_extension": Request("refuse_extension", note="no"),
    }[action]


def state_for(action: str, status: str) -> IssueState:
    pending = action in ("grant_extension", "refuse_extension")
    return issue(status, extension_pending=pending)


CASES = [(s.value, a, r) for s in Status for a in TABLE for r in ACTORS]


@pytest.mark.parametrize(("status", "action", "role"), CASES)
def test_every_status_action_role(status, action, role):
    roles, from_, to = TABLE[action]
    out = apply(state_for(action, status), ACTORS[role], valid_request(action), CTX)
    if role not in roles:
        assert isinstance(out, Refusal) and out.kind == "forbidden", out
        assert action in out.detail and role in out.detail
    elif status not in from_:
        assert isinstance(out, Refusal) and out.kind == "conflict", out
        assert status in out.detail
    else:
        assert isinstance(out, Transition), out
        (event,) = out.events
        assert event.action == action
        assert event.from_status == status
        assert event.to_status == (to or status)
        assert out.changes.get("status", status) == (to or status)


def test_the_table_covers_exactly_the_contracts_actions_and_roles():
    assert {a.value for a in Action} - {"report"} == set(TABLE)
    assert set(ACTORS) == {r.value for r in Role}


@pytest.mark.parametrize("action", sorted(TABLE))
def test_the_rules_data_says_what_the_contract_table_says(action):
    """rules.ACTIONS is what the machine reads for roles and from-statuses; its to_status must agree too."""
    roles, from_, to = TABLE[action]
    rule = ACTIONS[Action(action)]
    assert set(rule.roles) == roles
    assert {s.value for s in rule.from_statuses} == from_
    assert (rule.to_status.value if rule.to_status else None) == to


def test_accept_defaults_to_the_proposed_unit_and_starts_the_clock():
    out = apply(issue(), ACTORS["office"], Request("accept"), CTX)
    assert out.changes == {"status": "dispatched", "unit_id": OWN, "dispatched_at": NOW, "due_at": NEW_DUE}
    assert out.events[0].unit_id == OWN and out.events[0].due_at == NEW_DUE


def test_accept_to_another_unit():
    out = apply(issue(), ACTORS["admin"], Request("accept", unit=UnitTarget("zjj", OTHER)), CTX)
    assert out.changes["unit_id"] == OTHER


@pytest.mark.parametrize(
    ("state", "request_", "rule"),
    [
        (issue(proposed_unit_id=None), Request("accept"), "needs_unit"),
        (issue(), Request("accept", unit=UnitTarget("nope")), "unknown_unit"),
        (issue(), Request("accept", unit=UnitTarget("old", OTHER, active=False)), "inactive_unit"),
        (issue(), Request("reject"), "needs_note"),
        (issue(), Request("reject", note="   "), "needs_note"),
        (issue(), Request("merge"), "needs_duplicate_of"),
        (issue(), Request("merge", duplicate_of=IssueTarget("x", found=False)), "unknown_issue"),
        (
            issue(),
            Request("merge", duplicate_of=IssueTarget("i1", status=Status.reported)),
            "merge_into_itself",
        ),
        (
            issue(),
            Request("merge", duplicate_of=IssueTarget("i0", status=Status.merged, duplicate_of="i9")),
            "target_merged",
        ),
        (
            issue(),
            Request("merge", duplicate_of=IssueTarget("i0", status=Status.rejected)),
            "target_rejected",
        ),
        (issue("in_progress"), Request("dispute"), "needs_note"),
        (issue("in_progress"), Request("reassign"), "needs_unit"),
        (issue("in_progress"), Request("reassign", unit=UnitTarget("cgj", OWN)), "same_unit"),
        (issue("in_progress"), Request("rectify"), "needs_photos"),
        (
            issue("in_progress"),
            Request("rectify", photos=(PhotoFacts("gone", found=False),)),
            "unknown_photo",
        ),
        (issue("rectified"), Request("verify"), "needs_photos"),
        (issue("rectified"), Request("reopen"), "needs_note"),
        (issue("in_progress"), Request("extend"), "needs_note"),
        (
            issue("in_progress"),
            Request("extend", note="x", due_at=OLD_DUE - timedelta(minutes=1)),
            "due_not_later",
        ),
        (issue("in_progress", extension_pending=True), Request("grant_extension"), "needs_due_at"),
        (
            issue("in_progress", extension_pending=True),
            Request("grant_extension", due_at=OLD_DUE),
            "due_not_later",
        ),
        (issue("in_progress", extension_pending=True), Request("refuse_extension"), "needs_note"),
        (issue("dispatched"), Request("start", unit=UnitTarget("zjj", OTHER)), "unused_field"),
        (issue(), Request("reject", note="x", due_at=NOW), "unused_field"),
        (issue("dispatched"), Request("start", photos=(photo(attached_here=True),)), "photo_attached"),
    ],
)
def test_unmet_needs_are_invalid_naming_the_rule(state, request_, rule):
    role = "unit" if request_.action in ("start", "dispute", "rectify", "extend") else "office"
    out = apply(state, ACTORS[role], request_, CTX)
    assert isinstance(out, Refusal), out
    assert (out.kind, out.rule) == ("invalid", rule), out


@pytest.mark.parametrize(
    ("facts", "rule"),
    [
        (photo(reused_by="issue 2026-000007"), "photo_reused"),
        (photo(attached_here=True), "photo_reused"),
        (photo(distance_m=100.5), "photo_too_far"),
        (photo(taken_at=REPORTED_AT - timedelta(seconds=301)), "photo_predates_issue"),
    ],
)
@pytest.mark.parametrize("action", ["rectify", "verify"])
def test_anti_fraud_rules_refuse_rectify_and_verify_photos(facts, rule, action):
    state = issue("in_progress" if action == "rectify" else "rectified")
    actor = ACTORS["unit" if action == "rectify" else "office"]
    out = apply(state, actor, Request(action, photos=(facts,)), CTX)
    assert isinstance(out, Refusal) and out.kind == "invalid" and out.rule == rule
    assert out.detail.startswith(rule) and facts.id in out.detail


def test_every_broken_rule_is_named_at_once():
    bad = photo(reused_by="issue 2026-000007", distance_m=500, taken_at=REPORTED_AT - timedelta(days=2))
    out = apply(issue("in_progress"), ACTORS["unit"], Request("rectify", photos=(bad,)), CTX)
    assert all(r in out.detail for r in ("photo_reused", "photo_too_far", "photo_predates_issue"))


def test_photos_at_the_limits_are_accepted():
    ok = photo(distance_m=100.0, taken_at=REPORTED_AT - timedelta(seconds=300))
    out = apply(issue("in_progress"), ACTORS["unit"], Request("rectify", photos=(ok,)), CTX)
    assert isinstance(out, Transition) and out.events[0].flags == ()


def test_a_photo_without_place_or_time_is_accepted_and_the_event_marked():
    bare = PhotoFacts("p-bare")
    out = apply(issue("in_progress"), ACTORS["unit"], Request("rectify", photos=(bare,)), CTX)
    assert out.events[0].flags == ("unlocated", "untimed")
    assert out.events[0].photo_ids == ("p-bare",) and out.events[0].photo_role == "rectify"


def test_a_verify_photo_dated_before_the_rectification_is_marked():
    state = issue("rectified", rectified_at=NOW - timedelta(hours=2))
    early = photo(taken_at=NOW - timedelta(hours=3))
    out = apply(state, ACTORS["office"], Request("verify", photos=(early,)), CTX)
    assert "taken_before_rectify" in out.events[0].flags


def test_visibility_by_role():
    state = issue(
        "dispatched", unit_id=OTHER, proposed_unit_id=OWN, zone_unit_ids=frozenset({5}), reporter_id=99
    )
    assert may_see(state, ACTORS["office"]) and may_see(state, ACTORS["admin"])
    assert may_see(state, ACTORS["unit"])  # proposed to its unit
    assert not may_see(state, Actor(9, "unit", 7))
    assert not may_see(state, ACTORS["grid_worker"])  # neither its report nor its zone
    assert may_see(state, Actor(4, "grid_worker", 5))  # its unit's zone
    assert may_see(state, Actor(99, "road_chief", None))  # its own report
    assert not may_see(state, Actor(9, "unit", None))


def test_checks_run_in_order_not_visible_forbidden_conflict_invalid():
    hidden = issue("closed", proposed_unit_id=OTHER, unit_id=OTHER, zone_unit_ids=frozenset())
    stranger = Actor(9, "unit", 7)
    assert apply(hidden, stranger, Request("start"), CTX).kind == "not_visible"
    # visible, wrong role, wrong status, needs unmet: forbidden
    assert apply(issue("closed"), ACTORS["grid_worker"], Request("reject"), CTX).kind == "forbidden"
    # right role, wrong status, needs unmet: conflict
    assert apply(issue("closed"), ACTORS["office"], Request("reject"), CTX).kind == "conflict"
    # right role and status, needs unmet: invalid
    assert apply(issue(), ACTORS["office"], Request("reject"), CTX).kind == "invalid"


def test_an_unknown_action_is_invalid_after_visibility():
    assert apply(issue(), ACTORS["office"], Request("approve"), CTX).rule == "unknown_action"
    hidden = issue(zone_unit_ids=frozenset(), proposed_unit_id=OTHER)
    assert apply(hidden, Actor(9, "unit", 7), Request("approve"), CTX).kind == "not_visible"


def test_a_unit_acts_only_on_issues_assigned_to_it():
    # proposed to OWN, but the office dispatched it to OTHER: OWN sees it and may not act
    state = issue("dispatched", unit_id=OTHER, unit_code="zjj")
    out = apply(state, ACTORS["unit"], Request("start"), CTX)
    assert (out.kind, out.rule) == ("forbidden", "not_own_unit") and "zjj" in out.detail


def test_the_verifier_is_never_of_the_rectifying_unit():
    same = Actor(7, "office", OWN)
    out = apply(issue("rectified"), same, valid_request("verify"), CTX)
    assert (out.kind, out.rule) == ("forbidden", "verifier_of_rectifying_unit")
    # an on-the-spot fix: the grid worker's unit rectified, another unit owns the issue
    fixed = issue("rectified", unit_id=OWN, rectifier_unit_id=OTHER)
    assert apply(fixed, Actor(8, "office", OTHER), valid_request("verify"), CTX).kind == "forbidden"
    assert isinstance(apply(fixed, ACTORS["office"], valid_request("verify"), CTX), Transition)


def test_a_stale_version_is_a_conflict():
    out = apply(issue(version=3), ACTORS["office"], Request("accept", version=2), CTX)
    assert (out.kind, out.rule) == ("conflict", "stale_version")
    assert isinstance(
        apply(issue(version=3), ACTORS["office"], Request("accept", version=3), CTX), Transition
    )


def test_dispute_flags_and_a_second_dispute_waits_for_the_office():
    out = apply(issue("in_progress"), ACTORS["unit"], valid_request("dispute"), CTX)
    assert out.changes == {"status": "dispatched", "disputed": True}
    again = apply(issue("dispatched", disputed=True), ACTORS["unit"], valid_request("dispute"), CTX)
    assert (again.kind, again.rule) == ("conflict", "already_disputed")


def test_reassign_to_a_new_unit_restarts_its_clock():
    state = issue("dispatched", disputed=True, dispatched_at=NOW - timedelta(days=1))
    out = apply(state, ACTORS["office"], valid_request("reassign"), CTX)
    assert out.changes["unit_id"] == OTHER and out.changes["due_at"] == NEW_DUE
    assert out.changes["dispatched_at"] == NOW and out.changes["disputed"] is False


def test_a_turned_down_dispute_keeps_the_deadline():
    state = issue("dispatched", disputed=True, dispatched_at=NOW - timedelta(days=1))
    out = apply(state, ACTORS["office"], Request("reassign", unit=UnitTarget("cgj", OWN)), CTX)
    assert out.changes["due_at"] == OLD_DUE and out.changes["dispatched_at"] == NOW - timedelta(days=1)
    assert out.events[0].due_at == OLD_DUE


def test_reopen_counts_and_keeps_the_deadline():
    state = issue("rectified", due_at=OLD_DUE, rectified_at=NOW, reopen_count=1)
    out = apply(state, ACTORS["office"], valid_request("reopen"), CTX)
    assert out.changes == {"status": "in_progress", "reopen_count": 2, "rectified_at": None}


def test_reopen_of_an_on_the_spot_fix_starts_the_units_clock():
    state = issue("rectified", due_at=None, dispatched_at=REPORTED_AT, rectified_at=REPORTED_AT)
    out = apply(state, ACTORS["office"], valid_request("reopen"), CTX)
    assert out.changes["due_at"] == NEW_DUE and out.changes["dispatched_at"] == REPORTED_AT


def test_extension_asked_then_granted_with_the_requested_deadline():
    asked = NOW + timedelta(days=2)
    out = apply(issue("in_progress"), ACTORS["unit"], Request("extend", note="crane", due_at=asked), CTX)
    assert out.changes == {"extension_pending": True} and out.events[0].due_at == asked
    state = issue("in_progress", extension_pending=True, requested_due=asked)
    granted = apply(state, ACTORS["office"], Request("grant_extension"), CTX)
    assert granted.changes == {"extension_pending": False, "due_at": asked}
    again = apply(state, ACTORS["unit"], Request("extend", note="more"), CTX)
    assert (again.kind, again.rule) == ("conflict", "extension_pending")


def test_extension_answers_need_a_pending_request():
    out = apply(issue("in_progress"), ACTORS["office"], valid_request("refuse_extension"), CTX)
    assert (out.kind, out.rule) == ("conflict", "no_extension_pending")


def test_rectify_clears_a_dispute_and_a_pending_extension():
    state = issue("dispatched", disputed=True, extension_pending=True)
    out = apply(state, ACTORS["unit"], valid_request("rectify"), CTX)
    assert out.changes["disputed"] is False and out.changes["extension_pending"] is False
    assert out.changes["rectified_at"] == NOW


def test_merge_points_at_the_kept_issue():
    out = apply(issue(), ACTORS["office"], valid_request("merge"), CTX)
    assert out.changes == {"status": "merged", "duplicate_of": "i0"}


# -- creation


def test_a_report_names_photos_that_exist():
    grid = ACTORS["grid_worker"]
    assert isinstance(report(grid, Report(photos=()), CTX), Transition)  # Open311 sends none
    fix = Report(photos=(), fixed_on_site=True, after_photos=(photo("a"),))
    assert report(grid, fix, CTX).rule == "needs_photos"
    assert report(grid, Report(photos=(PhotoFacts("x", found=False),)), CTX).rule == "unknown_photo"
    out = report(grid, Report(photos=(photo("p1"),)), CTX)
    assert [e.action for e in out.events] == ["report"] and out.to_status == "reported"


def test_an_on_the_spot_fix_goes_straight_to_rectified():
    new = Report(photos=(photo("before"),), fixed_on_site=True, after_photos=(photo("after"),), found_at=NOW)
    out = report(ACTORS["grid_worker"], new, CTX)
    assert [(e.action, e.from_status, e.to_status) for e in out.events] == [
        ("report", None, "reported"),
        ("rectify", "reported", "rectified"),
    ]
    assert out.events[0].photo_role == "before" and out.events[1].photo_role == "after"
    assert "fixed_on_site" in out.events[1].flags
    assert out.changes["fixed_on_site"] is True and out.changes["rectified_at"] == NOW


@pytest.mark.parametrize(
    ("role", "new", "expected"),
    [
        (
            "office",
            Report(photos=(photo(),), fixed_on_site=True, after_photos=(photo("a"),)),
            ("forbidden", "role"),
        ),
        ("grid_worker", Report(photos=(photo(),), fixed_on_site=True), ("invalid", "needs_photos")),
        ("grid_worker", Report(photos=(photo(),), after_photos=(photo("a"),)), ("invalid", "unused_field")),
        (
            "road_chief",
            Report(
                photos=(photo(),),
                fixed_on_site=True,
                after_photos=(photo("a", reused_by="the before photo"),),
            ),
            ("invalid", "photo_reused"),
        ),
        (
            "grid_worker",
            Report(photos=(photo(),), fixed_on_site=True, after_photos=(photo("a", distance_m=300),)),
            ("invalid", "photo_too_far"),
        ),
        (
            "grid_worker",
            Report(
                photos=(photo(),),
                fixed_on_site=True,
                found_at=NOW,
                after_photos=(photo("a", taken_at=NOW - timedelta(hours=1)),),
            ),
            ("invalid", "photo_predates_issue"),
        ),
    ],
)
def test_on_the_spot_fix_refusals(role, new, expected):
    out = report(ACTORS[role], new, CTX)
    assert (out.kind, out.rule) == expected, out


def test_every_refusal_the_machine_can_give_is_exercised():
    """A table of one case per rule; it must name every RefusalRule (a refusal can name no other)."""
    office, unit = ACTORS["office"], ACTORS["unit"]
    stranger = Actor(9, "unit", 7)
    working = issue("in_progress")
    cases = {
        "not_visible": (
            issue(proposed_unit_id=OTHER, zone_unit_ids=frozenset()),
            stranger,
            Request("accept"),
        ),
        "unknown_action": (issue(), office, Request("approve")),
        "role": (issue(), unit, Request("accept")),
        "not_own_unit": (issue("dispatched", unit_id=OTHER), unit, Request("start")),
        "verifier_of_rectifying_unit": (issue("rectified"), Actor(7, "office", OWN), valid_request("verify")),
        "status": (issue("closed"), office, Request("accept")),
        "stale_version": (issue(version=2), office, Request("accept", version=1)),
        "already_disputed": (issue("dispatched", disputed=True), unit, valid_request("dispute")),
        "extension_pending": (issue("in_progress", extension_pending=True), unit, valid_request("extend")),
        "no_deadline": (issue("in_progress", due_at=None), unit, valid_request("extend")),
        "no_extension_pending": (working, office, valid_request("grant_extension")),
        "unused_field": (issue("dispatched"), unit, Request("start", due_at=NOW)),
        "needs_note": (issue(), office, Request("reject")),
        "needs_photos": (working, unit, Request("rectify")),
        "unknown_photo": (working, unit, Request("rectify", photos=(PhotoFacts("x", found=False),))),
        "photo_attached": (working, unit, Request("dispute", note="x", photos=(photo(attached_here=True),))),
        "needs_unit": (working, office, Request("reassign")),
        "unknown_unit": (working, office, Request("reassign", unit=UnitTarget("nope"))),
        "inactive_unit": (working, office, Request("reassign", unit=UnitTarget("old", OTHER, active=False))),
        "same_unit": (working, office, Request("reassign", unit=UnitTarget("cgj", OWN))),
        "needs_duplicate_of": (issue(), office, Request("merge")),
        "unknown_issue": (issue(), office, Request("merge", duplicate_of=IssueTarget("x", found=False))),
        "merge_into_itself": (issue(), office, Request("merge", duplicate_of=IssueTarget("i1"))),
        "target_merged": (
            issue(),
            office,
            Request("merge", duplicate_of=IssueTarget("i0", status=Status.merged)),
        ),
        "target_rejected": (
            issue(),
            office,
            Request("merge", duplicate_of=IssueTarget("i0", status=Status.rejected)),
        ),
        "needs_due_at": (issue("in_progress", extension_pending=True), office, Request("grant_extension")),
        "due_not_later": (working, unit, Request("extend", note="x", due_at=NOW - timedelta(hours=1))),
        "photo_reused": (working, unit, Request("rectify", photos=(photo(reused_by="issue 2026-000002"),))),
        "photo_too_far": (working, unit, Request("rectify", photos=(photo(distance_m=101),))),
        "photo_predates_issue": (
            working,
            unit,
            Request("rectify", photos=(photo(taken_at=REPORTED_AT - timedelta(hours=1)),)),
        ),
        "photo_not_yours": (working, unit, Request("rectify", photos=(photo(uploader_id=99),))),
        "photo_from_rectifier": (
            issue("rectified"),
            office,
            Request("verify", photos=(photo(uploader_id=office.id, uploader_unit_id=OWN),)),
        ),
    }
    no_deadline_ctx = Context(now=NOW, new_due=None, evidence=RULES)
    answered = {rule: apply(*case, CTX) for rule, case in cases.items()}
    answered["no_deadline_rule"] = apply(issue(), office, Request("accept"), no_deadline_ctx)
    for rule, out in answered.items():
        assert isinstance(out, Refusal) and out.rule == rule, (rule, out)
        assert out.detail and out.kind in set(RefusalKind)
    assert set(answered) == set(RefusalRule)
