"""Two `xuncha worker` processes on one database: every message is sent once, every job runs once."""

import os
import subprocess
import sys

from app.models import DeliveryAttempt, OutboxMessage, ScheduledJob
from app.models.base import utcnow
from app.notify.platforms import Outgoing
from app.notify.texts import MessageKind
from app.services.messages.outbox import enqueue


def test_two_worker_processes_never_send_one_message_twice(
    database_url, session, world, add_channel, receiver, tmp_path
):
    robots = []
    now = utcnow()
    for n, kind in enumerate(["wecom", "dingtalk", "feishu"] * 2):
        channel, robot = add_channel(
            world.units["cgj"], f"robot{n}", kind, "s3cret" if kind != "wecom" else None
        )
        robots.append(robot)
        for i in range(10):
            enqueue(session, [channel], MessageKind.test, Outgoing(f"{n}-{i}", "body"), now)
    session.commit()
    env = {**os.environ, "XUNCHA_DATABASE_URL": database_url, "XUNCHA_MEDIA_DIR": str(tmp_path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker", "--once"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    logs = [p.communicate(timeout=120)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], logs
    titles = [
        b.get("markdown", {}).get("title")
        or b.get("markdown", {}).get("content", "").split("\n")[0]
        or b["content"]["text"].split("\n")[0]
        for r in robots
        for b in r.received
    ]
    assert len(titles) == 60 and len(set(titles)) == 60, logs
    assert all(len(r.received) == 10 for r in robots)
    statuses = {m.status for m in session.query(OutboxMessage).populate_existing()}
    assert statuses == {"sent"}
    assert session.query(DeliveryAttempt).count() == 60
    runs = {j.name: j.runs for j in session.query(ScheduledJob).populate_existing()}
    assert runs["overdue"] == 1 and runs["due_soon"] == 1, logs
    claimers = {line.split()[-2] for line in logs[0].splitlines() + logs[1].splitlines() if "started" in line}
    assert len(claimers) == 2
