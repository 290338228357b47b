"""The escalation ladder: overdue by N working hours → the unit's leaders; by M → the office; each an event
by the system user on the issue's timeline."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from app.models import Issue, IssueEvent
from app.services.issues.escalate import escalate_overdue

TZ = ZoneInfo("Asia/Shanghai")
DUE = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)  # a Monday, 10:00


def test_an_overdue_issue_climbs_the_ladder_in_working_hours(
    client, session, settings, world, report, act, add_channel, outbox
):
    office = world.units["cjb"]
    office.kind = "office"
    session.add(office)
    session.commit()
    leaders, _ = add_channel(world.units["cgj"], "cgj-leaders", audience="leaders")
    add_channel(world.units["cgj"], "cgj-group")  # the working group is not told of escalations
    office_group, _ = add_channel(office, "office-group")
    issue_id = report().json()["id"]
    assert act(issue_id, "office", "accept").status_code == 200
    session.execute(update(Issue).where(Issue.id == issue_id).values(due_at=DUE))
    session.execute(
        update(IssueEvent)
        .where(IssueEvent.issue_id == issue_id, IssueEvent.action == "accept")
        .values(due_at=DUE)
    )
    session.commit()

    def run(at: datetime) -> list[str]:
        escalate_overdue(session, settings, at, None)
        session.commit()
        events = client.get(f"/api/v1/issues/{issue_id}", headers=world.h("office")).json()["events"]
        return [e["flags"][0] for e in events if e["action"] == "escalate"]

    assert run(DUE.replace(hour=15, minute=29)) == []  # 2 h before lunch + 1 h 59 after: under 4
    assert run(DUE.replace(hour=15, minute=31)) == ["escalated_to_leaders"]
    assert [m.channel_id for m in outbox(kind="escalation")] == [leaders.id]
    assert run(DUE.replace(hour=17, minute=0)) == ["escalated_to_leaders"]  # once per rung
    assert run(DUE + timedelta(days=1, hours=-0.5)) == ["escalated_to_leaders"]  # Tue 09:30: 7 h
    assert run(DUE + timedelta(days=1, hours=0.6)) == ["escalated_to_leaders", "escalated_to_office"]
    assert [m.channel_id for m in outbox(kind="escalation")] == [leaders.id, office_group.id]
    issue = client.get(f"/api/v1/issues/{issue_id}", headers=world.h("office")).json()
    last = issue["events"][-1]
    assert last["actor"] == "system" and last["actor_name"] == "系统" and last["to_status"] == "dispatched"
    assert "工作时" in last["note"] and issue["status"] == "dispatched"
    assert run(DUE + timedelta(days=5)) == ["escalated_to_leaders", "escalated_to_office"]
    # the unit can still act: the escalations moved the version on
    assert act(issue_id, "unit", "start").status_code == 200


def test_a_new_deadline_starts_the_ladder_again_and_a_leaderless_unit_tells_its_parent(
    client, session, settings, world, report, act, add_channel, outbox
):
    cgj = world.units["cgj"]
    cgj.parent_id = world.units["zjj"].id
    session.add(cgj)
    session.commit()
    parent_group, _ = add_channel(world.units["zjj"], "zjj-group")
    issue_id = report().json()["id"]
    act(issue_id, "office", "accept")
    session.execute(update(Issue).where(Issue.id == issue_id).values(due_at=DUE))
    session.commit()
    escalate_overdue(session, settings, DUE + timedelta(hours=6), None)
    session.commit()
    assert [m.channel_id for m in outbox(kind="escalation")] == [parent_group.id]
    session.execute(update(Issue).where(Issue.id == issue_id).values(due_at=DUE + timedelta(days=1)))
    session.commit()
    escalate_overdue(session, settings, DUE + timedelta(days=1, hours=6), None)
    session.commit()
    assert len(outbox(kind="escalation")) == 2
