"""The worker's delivery against a local robot that works, refuses, fails, hangs and rate-limits."""

import time
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.main import create_app
from app.models import DeliveryAttempt
from app.models.base import utcnow
from app.notify.platforms import Outgoing
from app.notify.texts import MessageKind
from app.services.messages.delivery import claim, deliver_batch, finish, post
from app.services.messages.outbox import enqueue


def queue(session, channel, n=1, now=None):
    now = now or utcnow()
    rows = []
    for i in range(n):
        rows += enqueue(session, [channel], MessageKind.test, Outgoing(f"title {i}", "body"), now)
    session.commit()
    return rows


@pytest.mark.parametrize("kind,secret", [("wecom", None), ("dingtalk", "SECx1"), ("feishu", "fs-secret")])
def test_each_platform_takes_a_signed_message_and_it_is_marked_sent(
    kind, secret, session, settings, http, world, add_channel, outbox
):
    channel, robot = add_channel(world.units["cgj"], f"r-{kind}", kind, secret)
    queue(session, channel)
    assert deliver_batch(session, settings, http, "w1") == {"sent": 1}
    assert len(robot.received) == 1
    [row] = outbox()
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1
    assert deliver_batch(session, settings, http, "w1") == {}  # never again
    assert len(robot.received) == 1


def test_a_wrong_secret_is_refused_by_the_platform_and_retried_later(
    session, settings, http, world, add_channel, outbox
):
    channel, robot = add_channel(world.units["cgj"], "ding", "dingtalk", "right-secret")
    channel.secret = "wrong-secret"
    session.add(channel)
    session.commit()
    queue(session, channel)
    now = utcnow()
    assert deliver_batch(session, settings, http, "w1", now=now) == {"pending": 1}
    [row] = outbox()
    assert "310000" in row.last_error and row.attempts == 1
    assert row.next_at == now + timedelta(seconds=settings.message_retry_base_s)
    assert robot.received == []


def test_a_webhook_down_for_an_hour_loses_nothing(session, settings, http, world, add_channel, outbox):
    channel, robot = add_channel(world.units["cgj"], "down", "feishu")
    robot.mode = "fail"
    start = utcnow()
    queue(session, channel, now=start)
    clock, waits = start, []
    while clock < start + timedelta(hours=1):
        assert deliver_batch(session, settings, http, "w1", now=clock) == {"pending": 1}
        [row] = outbox()
        waits.append(row.next_at - clock)
        clock = row.next_at
    robot.mode = "ok"
    assert deliver_batch(session, settings, http, "w1", now=clock) == {"sent": 1}
    assert len(robot.received) == 1
    # exponential backoff up to the cap
    assert waits[:4] == [timedelta(seconds=s) for s in (10, 20, 40, 80)]
    assert max(waits) == timedelta(seconds=settings.message_retry_max_s)
    assert session.query(DeliveryAttempt).count() == len(waits) + 1


def test_a_message_failing_past_the_give_up_time_is_failed_and_the_admin_resends_it(
    client, admin, session, settings, http, world, add_channel, outbox
):
    channel, robot = add_channel(world.units["cgj"], "gone", "wecom")
    robot.mode = "refuse"
    start = utcnow()
    [message] = queue(session, channel, now=start)
    clock = start
    for _ in range(500):
        state = deliver_batch(session, settings, http, "w1", now=clock)
        if state == {"failed": 1}:
            break
        clock = outbox()[0].next_at
    assert outbox()[0].status == "failed"
    assert clock - start >= timedelta(hours=settings.message_give_up_h) - timedelta(seconds=600)
    listed = client.get("/api/v1/messages?status=failed", headers=admin["headers"]).json()
    assert [m["id"] for m in listed] == [message.id] and "93000" in listed[0]["last_error"]
    robot.mode = "ok"
    r = client.post(f"/api/v1/messages/{message.id}/resend", headers=admin["headers"])
    assert r.status_code == 200 and r.json()["status"] == "pending"
    assert client.post(f"/api/v1/messages/{message.id}/resend", headers=admin["headers"]).status_code == 409
    assert deliver_batch(session, settings, http, "w1", now=clock + timedelta(minutes=2)) == {"sent": 1}
    assert len(robot.received) == 1


def test_a_hanging_webhook_times_out_and_is_retried(session, settings, world, add_channel, outbox):
    channel, robot = add_channel(world.units["cgj"], "slow", "wecom")
    robot.mode, robot.hang_s = "hang", 2.0
    queue(session, channel)
    with httpx.Client(timeout=0.3) as quick:
        assert deliver_batch(session, settings, quick, "w1") == {"pending": 1}
    assert outbox()[0].last_error == "timed out"


def test_the_per_minute_limit_of_wecom_and_dingtalk_is_kept(
    session, settings, http, world, add_channel, outbox
):
    for kind in ("wecom", "dingtalk"):
        channel, _robot = add_channel(world.units["cgj"], f"busy-{kind}", kind)
        queue(session, channel, n=25)
    now = utcnow()
    sent = 0
    for _ in range(5):
        sent += deliver_batch(session, settings, http, "w1", now=now).get("sent", 0)
    assert sent == 40  # 20 a minute for each robot
    assert sum(1 for r in outbox() if r.status == "pending") == 10
    later = now + timedelta(seconds=61)
    assert deliver_batch(session, settings, http, "w1", now=later) == {"sent": 10}


def test_feishu_gets_at_most_five_a_second(session, settings, http, world, add_channel):
    channel, _robot = add_channel(world.units["cgj"], "fs", "feishu")
    queue(session, channel, n=12)
    now = utcnow()
    assert deliver_batch(session, settings, http, "w1", now=now) == {"sent": 5}
    assert deliver_batch(session, settings, http, "w1", now=now) == {}
    assert deliver_batch(session, settings, http, "w1", now=now + timedelta(seconds=1.5)) == {"sent": 5}


def test_a_platform_saying_too_fast_pauses_the_channel(session, settings, http, world, add_channel, outbox):
    channel, robot = add_channel(world.units["cgj"], "ding", "dingtalk")
    robot.mode = "too_fast"
    queue(session, channel, n=3)
    now = utcnow()
    assert deliver_batch(session, settings, http, "w1", now=now) == {"pending": 1}  # then the channel rests
    assert robot.calls == 1
    robot.mode = "ok"
    assert deliver_batch(session, settings, http, "w1", now=now + timedelta(seconds=30)) == {}
    assert deliver_batch(session, settings, http, "w1", now=now + timedelta(seconds=61)) == {"sent": 3}


def test_a_restart_mid_delivery_sends_each_message_once(session, settings, http, world, add_channel, outbox):
    channel, robot = add_channel(world.units["cgj"], "r", "wecom")
    queue(session, channel, n=2)
    now = utcnow()
    # worker A claims both, sends the first and dies before sending the second
    a = claim(session, settings, "A", now) + claim(session, settings, "A", now)
    assert len(a) == 2 and a[0].id != a[1].id
    first = outbox()[0]
    reply = post(http, channel, Outgoing(first.title, first.body))
    finish(session, settings, a[0], "A", reply, now)
    # the restarted worker B: the second is still under A's lease, the first is done
    assert deliver_batch(session, settings, http, "B", now=now + timedelta(seconds=5)) == {}
    after_lease = now + timedelta(seconds=settings.message_lease_s + 1)
    assert deliver_batch(session, settings, http, "B", now=after_lease) == {"sent": 1}
    assert [b["markdown"]["content"].split("\n")[0] for b in robot.received] == ["### title 0", "### title 1"]
    # A coming back late cannot overwrite B's outcome
    finish(session, settings, a[1], "A", reply, after_lease)
    assert [r.status for r in outbox()] == ["sent", "sent"]
    assert deliver_batch(session, settings, http, "C", now=after_lease + timedelta(hours=1)) == {}
    assert len(robot.received) == 2


def test_the_server_runs_the_worker_in_process_by_default(monkeypatch, session, world, add_channel, outbox):
    monkeypatch.setenv("XUNCHA_WORKER_EMBEDDED", "true")
    monkeypatch.setenv("XUNCHA_WORKER_POLL_S", "0.1")
    get_settings.cache_clear()
    channel, robot = add_channel(world.units["cgj"], "embedded", "wecom")
    queue(session, channel)
    with TestClient(create_app()):
        for _ in range(100):
            if robot.received:
                break
            time.sleep(0.05)
    assert len(robot.received) == 1 and outbox()[0].status == "sent"
