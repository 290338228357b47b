"""Open311 GeoReport v2: reads open to anyone, POST with an api key; .xml (required) or .json by suffix."""

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from app.db import SessionDep
from app.deps import SettingsDep
from app.models.text import SafeText
from app.routers.open311_render import check_format, render
from app.services.open311 import post as open311_post
from app.services.open311 import requests as open311

router = APIRouter(prefix="/open311/v2", tags=["open311"])
Text = Annotated[SafeText | None, Form()]


@router.get("/discovery.{fmt}")
def discovery(fmt: str, settings: SettingsDep) -> Response:
    return render(check_format(fmt), "discovery", open311.discovery(settings.public_url))


@router.get("/services.{fmt}")
def services(fmt: str, session: SessionDep, settings: SettingsDep) -> Response:
    return render(check_format(fmt), "services", open311.services(session, settings))


@router.get("/services/{service_code}.{fmt}")
def service_definition(service_code: str, fmt: str, session: SessionDep) -> Response:
    check_format(fmt)
    return render(fmt, "service_definition", open311.service_definition(session, service_code))


@router.get("/requests.{fmt}")
def requests(
    fmt: str,
    session: SessionDep,
    settings: SettingsDep,
    service_request_id: str | None = None,
    service_code: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    status: str | None = None,
    jurisdiction_id: str | None = None,  # one jurisdiction here: accepted and ignored
) -> Response:
    check_format(fmt)
    found = open311.find_requests(
        session, settings, service_request_id, service_code, start_date, end_date, status
    )
    return render(fmt, "service_requests", found)


@router.post("/requests.{fmt}")
def post_request(
    fmt: str,
    session: SessionDep,
    settings: SettingsDep,
    api_key: Text = None,
    api_key_in_query: Annotated[str | None, Query(alias="api_key")] = None,
    jurisdiction_id: Text = None,
    service_code: Text = None,
    lat: Text = None,
    long: Text = None,
    address_string: Text = None,
    address_id: Text = None,
    email: Text = None,
    device_id: Text = None,
    account_id: Text = None,
    first_name: Text = None,
    last_name: Text = None,
    phone: Text = None,
    description: Text = None,
    media_url: Text = None,
) -> Response:
    """Form-encoded; the api_key may also come in the query string, as some older clients send it."""
    check_format(fmt)
    form = open311_post.PostedRequest(
        service_code=service_code,
        lat=lat,
        long=long,
        address_string=address_string,
        address_id=address_id,
        email=email,
        device_id=device_id,
        account_id=account_id,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        description=description,
        media_url=media_url,
    )
    created = open311_post.post_request(session, settings, api_key or api_key_in_query, form)
    return render(fmt, "service_requests", created, status=201)


@router.get("/requests/{service_request_id}.{fmt}")
def one_request(service_request_id: str, fmt: str, session: SessionDep, settings: SettingsDep) -> Response:
    check_format(fmt)
    return render(fmt, "service_requests", open311.one_request(session, settings, service_request_id))


@router.get("/tokens/{token}.{fmt}")
def token(token: str, fmt: str, session: SessionDep) -> Response:
    check_format(fmt)
    return render(fmt, "service_requests", open311.token_request(session, token))
