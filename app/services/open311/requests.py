"""Open311 GeoReport v2 over our issues: discovery, services (categories), service requests, tokens, POST.

Answers are lists of plain dicts whose keys and order are the specification's; app/routers/open311_render.py
writes them as XML or JSON. Reads are public (no personal data is ever shown); POST needs an api key.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.config import Settings
from app.errors import BadRequest, NotFound
from app.models import ENDED_STATUSES, Category, Issue, IssueEvent, IssueZone, Open311Request, Unit, Zone
from app.models.base import in_range, utcnow
from app.services.categories import deadline_hours
from app.services.params import comma_list
from app.workflow.states import PUBLIC_NOTE_ACTIONS

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-25T00:00:00+08:00"
CONTACT = "区创建办 (the district's creation office), through the Xuncha administrators"
KEY_SERVICE = "Api keys are issued by the administrators: `xuncha api-key create NAME`"
WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000


def local_iso(moment: datetime | None, tz: ZoneInfo) -> str:
    """ISO 8601 with the zone's offset, to the second, as the specification shows; '' when there is none."""
    return moment.astimezone(tz).isoformat(timespec="seconds") if moment else ""


def parse_datetime(text: str, name: str) -> datetime:
    """A W3C datetime (2026-11-25T09:30:00+08:00 or ...Z); one without a zone is read as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        return in_range(moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC")))
    except (ValueError, OverflowError) as e:
        raise BadRequest(
            f"{name}: {text!r} is not a W3C datetime such as 2026-11-25T09:30:00+08:00 (years 1900 to 2999)"
        ) from e


def discovery(public_url: str) -> dict:
    """Links from the configured public address (XUNCHA_PUBLIC_URL), never from a request's Host header."""
    return {
        "changeset": CHANGESET,
        "contact": CONTACT,
        "key_service": KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": public_url.rstrip("/") + "/open311/v2",
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def services(session: Session, settings: Settings) -> list[dict]:
    """Our active categories as Open311 services."""
    rows = session.execute(
        select(Category).where(Category.active).order_by(Category.sort_order, Category.code)
    )
    return [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": f"{c.name}（处置时限 {_limit(c, settings)}）",
            "metadata": False,
            "type": "realtime",
            "keywords": c.group,
            "group": c.group,
        }
        for c in rows.scalars()
    ]


def _limit(category: Category, settings: Settings) -> str:
    units = {"work_hours": "工作时", "work_days": "工作日", "hours": "小时"}
    hours = deadline_hours(category, settings)
    return f"{category.deadline_value} {units.get(category.deadline_unit, category.deadline_unit)}（{hours:g} 小时）"


def service_definition(session: Session, service_code: str) -> dict:
    """Our services need nothing beyond the standard fields, so a definition has no attributes."""
    category = session.get(Category, service_code)
    if category is None or not category.active:
        raise NotFound(f"no service {service_code!r}; GET services.xml lists them")
    return {"service_code": category.code, "attributes": []}


def _requests_query():
    """Issues with what a request shows: category name, responsible unit, latest public note, Open311 extras."""
    unit = aliased(Unit)
    latest_note = (
        select(IssueEvent.note)
        .where(
            IssueEvent.issue_id == Issue.id,
            IssueEvent.note != "",
            IssueEvent.action.in_([a.value for a in PUBLIC_NOTE_ACTIONS]),
        )
        .order_by(IssueEvent.seq.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            Issue,
            Category.name,
            unit.name,
            latest_note,
            Open311Request.media_url,
            Open311Request.address_string,
        )
        .join(Category, Category.code == Issue.category)
        .outerjoin(unit, unit.id == func.coalesce(Issue.unit_id, Issue.proposed_unit_id))
        .outerjoin(Open311Request, Open311Request.issue_id == Issue.id)
    )


def find_requests(
    session: Session,
    settings: Settings,
    service_request_id: str | None = None,
    service_code: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    status: str | None = None,
    now: datetime | None = None,
) -> list[dict]:
    """GET requests: by ids (which override every other filter), or by service, time window and status."""
    now = now or utcnow()
    query = _requests_query()
    ids = comma_list(service_request_id)
    if ids:
        query = query.where(or_(Issue.ref.in_(ids), Issue.id.in_(ids)))
    else:
        start = parse_datetime(start_date, "start_date") if start_date else None
        end = parse_datetime(end_date, "end_date") if end_date else None
        if start and end and end < start:
            raise BadRequest("end_date: must not be before start_date")
        if start and end and end - start > WINDOW:
            raise BadRequest("start_date, end_date: the range may span at most 90 days")
        if start is None:
            end = end or now
            start = end - WINDOW
        elif end is None:
            end = start + WINDOW
        query = query.where(Issue.created_at >= start, Issue.created_at <= end)
        codes = comma_list(service_code)
        if codes:
            query = query.where(Issue.category.in_(codes))
        wanted = set(comma_list(status))
        if wanted - {"open", "closed"}:
            raise BadRequest("status: open, closed, or both (comma separated)")
        if wanted == {"open"}:
            query = query.where(Issue.status.not_in(ENDED_STATUSES))
        elif wanted == {"closed"}:
            query = query.where(Issue.status.in_(ENDED_STATUSES))
    rows = session.execute(query.order_by(Issue.created_at.desc(), Issue.id).limit(MAX_REQUESTS)).all()
    return _records(session, settings, rows)


def one_request(session: Session, settings: Settings, key: str) -> list[dict]:
    """GET requests/{id}: a list of one (by ref, or by the issue's id)."""
    rows = session.execute(_requests_query().where(or_(Issue.ref == key, Issue.id == key))).all()
    if not rows:
        raise NotFound(f"no service request {key!r}")
    return _records(session, settings, rows)


def token_request(session: Session, token: str) -> list[dict]:
    """GET tokens/{token}: our token is the issue's id, known at once (requests are created synchronously)."""
    ref = session.execute(select(Issue.ref).where(Issue.id == token)).scalar()
    if ref is None:
        raise NotFound(f"no token {token!r}")
    return [{"service_request_id": ref, "token": token}]


def _addresses(session: Session, settings: Settings, issue_ids: list[str]) -> dict[str, str]:
    """Each issue's most specific zone name (a frontage, a building... a grid): the nearest thing to an address."""
    rank = {layer: i for i, layer in enumerate(settings.layer_precedence)}
    best: dict[str, tuple[int, str]] = {}
    for issue_id, layer, name in session.execute(
        select(IssueZone.issue_id, IssueZone.layer, Zone.name)
        .join(Zone, and_(Zone.layer == IssueZone.layer, Zone.code == IssueZone.code))
        .where(IssueZone.issue_id.in_(issue_ids))
    ).all():
        r = rank.get(layer, 99)
        if issue_id not in best or r < best[issue_id][0]:
            best[issue_id] = (r, name)
    return {k: name for k, (_, name) in best.items()}


def _records(session: Session, settings: Settings, rows) -> list[dict]:
    tz = ZoneInfo(settings.timezone)
    addresses = _addresses(session, settings, [r[0].id for r in rows]) if rows else {}
    out = []
    for issue, service_name, agency, note, media_url, address_string in rows:
        out.append(
            {
                "service_request_id": issue.ref,
                "status": "closed" if issue.status in ENDED_STATUSES else "open",
                "status_notes": note or "",
                "service_name": service_name,
                "service_code": issue.category,
                "description": issue.description,
                "agency_responsible": agency or "",
                "service_notice": "",
                "requested_datetime": local_iso(issue.created_at, tz),
                "updated_datetime": local_iso(issue.updated_at, tz),
                "expected_datetime": local_iso(issue.due_at, tz),
                "address": address_string or addresses.get(issue.id, ""),
                "address_id": "",
                "zipcode": "",
                "lat": issue.lat,
                "long": issue.lon,
                "media_url": media_url or "",
            }
        )
    return out
