"""Failed checklist items in the unit score (三令制): priced by hand, tied to the issues they became."""

from .test_inspections import _body, _with_photos


def _score(client, world, unit="cgj"):
    r = client.get(f"/api/v1/score/units/{unit}", headers=world.h("office"))
    assert r.status_code == 200, r.text
    return r.json()


def test_items_failed_at_the_offices_inspection_cost_points_a_self_check_does_not(
    client, site_world, answers, photo_of, admin
):
    office_photo = photo_of(site_world.user("office"))
    found = _body(_with_photos(answers(no_litter="fail", benches="fail", nursing_room="na"), office_photo))
    r = client.post("/api/v1/inspections", json=found, headers=site_world.h("office"))
    assert r.status_code == 201, r.text
    issues = {i["code"]: (i["issue_id"], i["issue_ref"]) for i in r.json()["items"] if i["result"] == "fail"}
    own = _body(_with_photos(answers(bins="fail"), photo_of(site_world.user("unit"))))
    assert client.post("/api/v1/inspections", json=own, headers=site_world.h("unit")).status_code == 201

    s = _score(client, site_world)
    # two items failed at the office's inspection, 1 point each (the default); the self-check's bin costs none
    assert s["by_rule"] == {"failed_check": 2.0} and s["score"] == 98.0
    got = {d["issue_id"]: d for d in s["deductions"]}
    assert set(got) == {issue_id for issue_id, _ in issues.values()}
    for issue_id, ref in issues.values():
        assert got[issue_id]["issue_ref"] == ref and got[issue_id]["event_seqs"] == [1]
        assert got[issue_id]["reason"].startswith("点位「")
    assert _score(client, site_world, "zjj")["by_rule"] == {}  # another unit's site: none of it

    r = client.put("/api/v1/score/rules", json={"points": {"failed_check": 1.5}}, headers=admin["headers"])
    assert r.status_code == 200, r.text
    assert _score(client, site_world)["by_rule"] == {"failed_check": 3.0}
    ranking = client.get("/api/v1/score/ranking", headers=site_world.h("office")).json()
    assert {r["unit"]: r["score"] for r in ranking}["cgj"] == 97.0
