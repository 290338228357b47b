"""Messages are written to the outbox in the transaction of the event that causes them, to the right unit."""

from app.models import OutboxMessage


def test_dispatch_writes_one_message_per_channel_of_the_unit(report, act, world, add_channel, outbox):
    wecom, _ = add_channel(world.units["cgj"], "cgj-wecom", "wecom")
    ding, _ = add_channel(world.units["cgj"], "cgj-ding", "dingtalk", secret="SEC1")
    add_channel(world.units["zjj"], "zjj-wecom")  # another unit's group hears nothing
    issue = report().json()
    assert outbox() == []  # a report alone tells no unit
    assert act(issue["id"], "office", "accept").status_code == 200
    rows = outbox()
    assert sorted(r.channel_id for r in rows) == sorted([wecom.id, ding.id])
    assert {r.kind for r in rows} == {"dispatch"} and {r.issue_id for r in rows} == {issue["id"]}
    assert rows[0].link == f"http://127.0.0.1:8000/#/issues/{issue['id']}"
    assert issue["ref"] in rows[0].title and rows[0].status == "pending"


def test_reassign_tells_the_new_unit_and_reopen_tells_the_unit(
    report, act, world, add_channel, outbox, make_photo
):
    cgj, _ = add_channel(world.units["cgj"], "cgj")
    zjj, _ = add_channel(world.units["zjj"], "zjj")
    issue_id = report().json()["id"]
    act(issue_id, "office", "accept")
    assert act(issue_id, "office", "reassign", unit="zjj", note="路段属住建局").status_code == 200
    assert [r.channel_id for r in outbox(kind="dispatch")] == [cgj.id, zjj.id]
    act(issue_id, "office", "reassign", unit="cgj")
    assert act(issue_id, "unit", "rectify", photo_ids=[make_photo()]).status_code == 200
    assert act(issue_id, "office", "reopen", note="垃圾仍未清理").status_code == 200
    reopened = outbox(kind="reopen")
    assert [r.channel_id for r in reopened] == [cgj.id]
    assert "垃圾仍未清理" in reopened[0].body


def test_a_refused_action_writes_no_message(report, act, world, add_channel, outbox):
    add_channel(world.units["cgj"], "cgj")
    issue_id = report().json()["id"]
    assert act(issue_id, "unit", "accept").status_code == 403
    assert act(issue_id, "office", "reassign", unit="zjj").status_code == 409
    assert outbox() == []


def test_an_inactive_channel_or_a_unit_without_one_gets_nothing(
    report, act, world, add_channel, session, outbox
):
    channel, _ = add_channel(world.units["cgj"], "cgj")
    channel.active = False
    session.add(channel)
    session.commit()
    act(report().json()["id"], "office", "accept")
    assert session.query(OutboxMessage).count() == 0
