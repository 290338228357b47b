"""How often a user reported each category lately: the phone's category picker shows the most used first."""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from app.models import Issue, User
from app.models.base import utcnow

USAGE_DAYS = 90


def category_usage(session: Session, user: User, now: datetime | None = None) -> dict[str, int]:
    """{category code: issues this user reported in it in the last USAGE_DAYS days}, most used first."""
    since = (now or utcnow()) - timedelta(days=USAGE_DAYS)
    rows = session.execute(
        select(Issue.category, func.count())
        .where(Issue.reporter_id == user.id, Issue.created_at >= since)
        .group_by(Issue.category)
        .order_by(func.count().desc(), Issue.category)
    ).all()
    return {code: n for code, n in rows}
