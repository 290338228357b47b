"""The issue list: newest first, soonest deadline first or nearest first; all, or mine; full or slim items."""

import base64
import binascii
import json
import math
from datetime import datetime

from sqlalchemy import Select, and_, case, or_
from sqlmodel import Session

from app.errors import InvalidInput
from app.geo.metric import distances_m
from app.models import Issue, User
from app.models.base import utcnow
from app.models.issue import IssuePage
from app.models.issue_list import IssueSlimPage, ListSort, ListView
from app.services.issues.query import IssueFilters, encode_cursor, filtered_issues_query, page_query
from app.services.issues.render import render_issues
from app.services.issues.slim import render_slim

MAX_LIMIT = 200


def parse_near(text: str) -> tuple[float, float]:
    """'lat,lon' in WGS-84 degrees, checked."""
    try:
        lat, lon = (float(p) for p in text.split(","))
    except ValueError as err:
        raise InvalidInput(f"near: {text!r} is not two numbers lat,lon") from err
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput("near: the latitude lies in -90..90 and the longitude in -180..180")
    return lat, lon


# -- sort=due: keyset pagination on (due_at, id), soonest first, issues without a deadline last


def encode_due_cursor(issue: Issue) -> str:
    due = issue.due_at.isoformat() if issue.due_at else None
    raw = json.dumps(["due", due, issue.id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_due_cursor(cursor: str) -> tuple[datetime | None, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, due, issue_id = json.loads(raw)
        moment = datetime.fromisoformat(due) if due is not None else None
        if kind != "due" or (moment and moment.tzinfo is None) or not isinstance(issue_id, str):
            raise ValueError("bad cursor")
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as e:
        raise InvalidInput(
            "cursor: not a cursor this list gave out with sort=due; start again without it"
        ) from e
    return moment, issue_id


def due_page_query(query: Select, limit: int, cursor: str | None) -> Select:
    if cursor:
        due, issue_id = decode_due_cursor(cursor)
        if due is None:
            query = query.where(Issue.due_at.is_(None), Issue.id > issue_id)
        else:
            query = query.where(
                or_(
                    Issue.due_at > due,
                    and_(Issue.due_at == due, Issue.id > issue_id),
                    Issue.due_at.is_(None),
                )
            )
    undated_last = case((Issue.due_at.is_(None), 1), else_=0)
    return query.order_by(undated_last, Issue.due_at, Issue.id).limit(limit + 1)


def near_query(query: Select, lat: float, lon: float, limit: int) -> Select:
    """Nearest first by an equirectangular distance (exact enough to rank within a city)."""
    shrink = math.cos(math.radians(lat))
    dlat, dlon = Issue.lat - lat, (Issue.lon - lon) * shrink
    return query.order_by(dlat * dlat + dlon * dlon, Issue.id).limit(limit)


def list_issues(
    session: Session,
    user: User,
    filters: IssueFilters,
    limit: int = 50,
    cursor: str | None = None,
    now: datetime | None = None,
    *,
    sort: ListSort = ListSort.new,
    view: ListView = ListView.full,
    near: str | None = None,
    mine: bool = False,
) -> IssuePage | IssueSlimPage:
    """One page of the issues this user may see, in the order asked; next_cursor continues after its last item
    (sort=near has one page only: the `limit` nearest)."""
    now = now or utcnow()
    query = filtered_issues_query(user, filters, now)
    if mine:
        query = query.where(Issue.reporter_id == user.id)
    distances: dict[str, float] | None = None
    if sort is ListSort.near:
        if not near:
            raise InvalidInput("near: sort=near needs near=lat,lon (WGS-84)")
        if cursor:
            raise InvalidInput("cursor: sort=near has one page only; ask for a larger limit instead")
        lat, lon = parse_near(near)
        rows = list(session.execute(near_query(query, lat, lon, limit)).scalars())
        metres = list(distances_m([i.lon for i in rows], [i.lat for i in rows], lon, lat)) if rows else []
        distances = {i.id: float(m) for i, m in zip(rows, metres, strict=True)}
        rows.sort(key=lambda i: (distances[i.id], i.id))
        next_cursor = None
    else:
        if near:
            raise InvalidInput("near: only with sort=near")
        paged = (
            due_page_query(query, limit, cursor) if sort is ListSort.due else page_query(query, limit, cursor)
        )
        rows = list(session.execute(paged).scalars())
        more = len(rows) > limit
        rows = rows[:limit]
        encode = encode_due_cursor if sort is ListSort.due else encode_cursor
        next_cursor = encode(rows[-1]) if more else None
    if view is ListView.slim:
        return IssueSlimPage(items=render_slim(session, rows, now, distances), next_cursor=next_cursor)
    return IssuePage(items=render_issues(session, rows, now), next_cursor=next_cursor)
