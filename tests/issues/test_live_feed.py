"""The live feed carries an issue's events to every unit that may see it: its unit and the one it was proposed to."""

import asyncio
import json

from app.models import Role, User
from app.services import feed


def test_the_proposed_unit_sees_its_issue_move_live_after_a_reassign(report, act, settings):
    issue_id = report().json()["id"]  # its point lies in cgj's site: proposed to cgj
    assert act(issue_id, "office", "accept").status_code == 200
    cgj_stream = feed.stream_filter(User(username="x", role=Role.unit, password_hash="-"), "cgj")

    async def scenario() -> dict:
        async with feed.broker.subscribe(cgj_stream, settings.database_url) as sub:
            r = await asyncio.to_thread(act, issue_id, "office", "reassign", unit="zjj")
            assert r.status_code == 200, r.text
            return json.loads(await asyncio.wait_for(sub.queue.get(), 10))

    event = asyncio.run(scenario())
    assert (event["action"], event["unit"], event["proposed_unit"]) == ("reassign", "zjj", "cgj")
