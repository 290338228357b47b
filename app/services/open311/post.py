"""Open311 POST requests: checked as the specification says, then created by the workflow's create_issue."""

import math
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import ValidationError
from sqlmodel import Session

from app.config import Settings
from app.errors import BadRequest
from app.models import Category, Open311Request
from app.models.issue import IssueCreate
from app.services.issues.create import create_issue
from app.services.open311.keys import reporter_for_key

MAX_DESCRIPTION = 4000
MAX_URL = 2000


@dataclass
class PostedRequest:
    """The form fields of POST requests.{fmt}, as strings, unchecked."""

    service_code: str | None = None
    lat: str | None = None
    long: str | None = None
    address_string: str | None = None
    address_id: str | None = None
    email: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    description: str | None = None
    media_url: str | None = None


def _coordinate(text: str, name: str, bound: float) -> float:
    try:
        value = float(text)
    except ValueError as e:
        raise BadRequest(f"{name}: {text!r} is not a number of decimal degrees") from e
    if not math.isfinite(value) or abs(value) > bound:
        raise BadRequest(f"{name}: must lie between -{bound:g} and {bound:g}")
    return value


def _media_url(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_URL:
        raise BadRequest("media_url: an http(s) link of at most 2000 characters")
    return url


def _short(value: str | None, limit: int) -> str | None:
    value = (value or "").strip()
    return value[:limit] or None


def post_request(
    session: Session, settings: Settings, api_key: str | None, form: PostedRequest
) -> list[dict]:
    """Creates the issue (through the workflow's create_issue) and answers the specification's list of one."""
    key, reporter = reporter_for_key(session, api_key)
    if not form.service_code:
        raise BadRequest("service_code: required; GET services.xml lists them")
    category = session.get(Category, form.service_code)
    if category is None or not category.active:
        raise BadRequest(f"service_code: no service {form.service_code!r}; GET services.xml lists them")
    if not form.lat or not form.long:
        if form.address_string or form.address_id:
            raise BadRequest(
                "lat, long: required here; this server cannot place an address_string or address_id"
            )
        raise BadRequest("lat, long: a location is required")
    lat = _coordinate(form.lat, "lat", 90)
    lon = _coordinate(form.long, "long", 180)
    description = (form.description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise BadRequest(f"description: at most {MAX_DESCRIPTION} characters")
    media_url = _media_url(form.media_url)
    issue_id = uuid.uuid4()
    try:
        data = IssueCreate(id=issue_id, category=form.service_code, description=description, lat=lat, lon=lon)
    except ValidationError as e:
        raise BadRequest(
            "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
        ) from e
    extra = Open311Request(
        issue_id=str(issue_id),
        api_key_id=key.id,
        media_url=media_url,
        address_string=_short(form.address_string, 500),
        email=_short(form.email, 200),
        phone=_short(form.phone, 64),
        first_name=_short(form.first_name, 100),
        last_name=_short(form.last_name, 100),
        device_id=_short(form.device_id, 200),
        account_id=_short(form.account_id, 200),
    )
    issue, _ = create_issue(session, settings, reporter, data, extra_rows=[extra])  # both rows, or neither
    return [
        {
            "service_request_id": issue.ref,
            "token": issue.id,
            "service_notice": "",
            "account_id": form.account_id or "",
        }
    ]
