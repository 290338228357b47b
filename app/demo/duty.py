"""The demo district's duty posts (到岗): rush-hour posts on the main roads, staffed volunteer stations and the
communities' posts in their residential compounds, and the empty posts the supervision team found over the last
two weeks (they cost their units points), so the supervision team's screen, the check-in and the unit score have
data. Deterministic for a given `now`; not committed here.

No check-ins: a check-in is proved by a photo, and the demo's past has none (like its issues, it comes from the
paper ledger).
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from app.config import Settings
from app.demo.history_cast import People
from app.models import Zone
from app.models.duty import DutyPost, EmptyPostFinding

SEED = 20261130
RUSH_HOURS = "07:00-09:00,17:00-19:00"  # 文明劝导岗 at the crossings
FINDING_DAYS = 14
# kind: how many, headcount, hours (none: the working calendar's); the residential compounds' posts are their
# communities' (the grid workers check in there)
POSTS = {
    "main_road": (8, 2, RUSH_HOURS),
    "volunteer_station": (10, 1, None),
    "residential": (24, 1, None),
}


def seed_duty(session: Session, settings: Settings, people: People, now: datetime) -> int:
    """Writes the posts and past findings; returns how many posts."""
    rnd = random.Random(SEED)
    tz = ZoneInfo(settings.timezone)
    posts: list[DutyPost] = []
    for kind, (count, headcount, hours) in POSTS.items():
        sites = (
            session.execute(
                select(Zone).where(Zone.layer == "site", Zone.category == kind).order_by(Zone.code)
            )
            .scalars()
            .all()[:count]
        )
        posts += [DutyPost(zone_id=s.id, unit_id=s.unit_id, headcount=headcount, hours=hours) for s in sites]
    for p in posts:
        p.created_at = now - timedelta(days=FINDING_DAYS + 1)
    session.add_all(posts)
    session.flush()
    today = now.astimezone(tz).date()
    for back in range(1, FINDING_DAYS + 1):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for post in rnd.sample(posts, k=rnd.choice([0, 0, 1, 1, 2])):
            # within the post's hours: a rush hour, or mid-morning for the stations
            start = time(7, 30) if post.hours else time(10, 0)
            at = datetime.combine(day, start, tz) + timedelta(minutes=rnd.randint(0, 60))
            session.add(
                EmptyPostFinding(
                    post_id=post.id,
                    unit_id=post.unit_id,
                    user_id=rnd.choice(people.office).id,
                    at=at,
                    note=rnd.choice(["", "岗位无人，电话联系未到", "劝导员未到岗"]),
                )
            )
    return len(posts)
