"""User text: control characters (but tab and newline) are refused at input, with a 422 naming the field."""

import types
import xml.etree.ElementTree as ET
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.main import create_app
from app.models import Issue
from tests.issues.conftest import LAT, LON

BAD = "abcdefghij\x00k"  # long enough for any minimum length, short enough for any maximum


def _text_paths(tp: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (keys and list positions) to a str inside a type."""
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        return _text_paths(args[0], prefix)
    if origin in (Union, types.UnionType):
        return sorted({p for a in args for p in _text_paths(a, prefix)}, key=str)
    if origin is list:
        return _text_paths(args[0], (*prefix, 0))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [p for name, f in tp.model_fields.items() for p in _text_paths(f.annotation, (*prefix, name))]
    return [prefix] if tp is str else []


def _payload(path: tuple) -> Any:
    if not path:
        return BAD
    head, rest = path[0], path[1:]
    return [_payload(rest)] if head == 0 else {head: _payload(rest)}


def _api_routes(routes) -> list[APIRoute]:
    """The app's routes, those of included routers too (FastAPI includes them lazily)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += _api_routes(route.original_router.routes)
    return found


def _body_text_fields():
    for route in _api_routes(create_app().routes):
        if route.dependant.body_params:
            for param in route.dependant.body_params:
                for path in _text_paths(param.field_info.annotation):
                    yield f"{route.path} {param.name} {path}", param, path


BODY_TEXT_FIELDS = list(_body_text_fields())


def test_the_walk_finds_the_text_fields_it_must():
    names = {name for name, _, _ in BODY_TEXT_FIELDS}
    assert "/api/v1/issues data ('description',)" in names
    assert "/api/v1/open311/v2/requests.{fmt} description ()" not in names  # (Open311 is not under /api)
    assert "/open311/v2/requests.{fmt} description ()" in names
    assert len(names) > 25


@pytest.mark.parametrize("name,param,path", BODY_TEXT_FIELDS, ids=[n for n, _, _ in BODY_TEXT_FIELDS])
def test_every_text_field_of_every_input_refuses_control_characters(name, param, path):
    _, errors = param.validate(_payload(path), {}, loc=("body",))
    errors = errors if isinstance(errors, list) else [errors] if errors else []
    # refused at that very field: by the control-character rule, or by a stricter pattern the field has
    at_field = [e for e in errors if not path or tuple(e["loc"])[-len(path) :] == path]
    assert at_field, (name, errors)
    assert all("control character U+0000" in e["msg"] or "pattern" in e["msg"] for e in at_field), at_field


def test_a_nul_in_a_description_is_a_422_naming_it_on_both_databases(report, session):
    r = report(description="垃圾\x00堆放")
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("description: ")
    assert "U+0000" in r.json()["detail"]
    assert session.query(Issue).count() == 0


@pytest.mark.parametrize("char", ["\x1b", "\r", "\x7f", "\x85", "\x08"])
def test_other_control_characters_are_refused_too(report, char):
    r = report(description=f"x{char}y")
    assert r.status_code == 422 and "description" in r.json()["detail"], r.text


def test_tab_and_newline_are_kept_and_a_crlf_is_kept_as_a_newline(report):
    r = report(description="第一行\r\n第二行\t完")
    assert r.status_code == 201, r.text
    assert r.json()["description"] == "第一行\n第二行\t完"


def test_an_action_note_with_an_escape_is_refused_naming_the_note(report, act):
    issue = report().json()
    r = act(issue["id"], "office", "reject", note="\x1b[31m假的\x1b[0m")
    assert r.status_code == 422 and r.json()["detail"].startswith("note: "), r.text


def test_names_of_units_and_users_refuse_them(client, world):
    h = world.h("admin")
    r = client.post("/api/v1/units", json={"code": "u1", "name": "单位\x00"}, headers=h)
    assert r.status_code == 422 and r.json()["detail"].startswith("name: "), r.text
    body = {"username": "u1", "password": "long-enough-1", "role": "office", "display_name": "张\x07三"}
    r = client.post("/api/v1/users", json=body, headers=h)
    assert r.status_code == 422 and r.json()["detail"].startswith("display_name: "), r.text
    r = client.put(
        "/api/v1/calendar/days/2026-10-01", json={"kind": "holiday", "name": "国庆\x00"}, headers=h
    )
    assert r.status_code == 422 and r.json()["detail"].startswith("name: "), r.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/issues?category=%00",
        "/api/v1/issues?zone=a%00b",
        "/api/v1/stats/summary?category=%1b",
        "/api/v1/issues/%00",
        "/api/v1/stats/units/%00",
    ],
)
def test_query_and_path_parameters_with_a_nul_are_422_not_500(client, world, path):
    r = client.get(path, headers=world.h("admin"))
    assert r.status_code == 422, (path, r.status_code, r.text)
    assert "control character" in r.json()["detail"]
    name = path.split("?")[1].split("=")[0] if "?" in path else "path"
    assert r.json()["detail"].startswith(f"{name}: ")


def test_a_zone_import_names_the_feature_whose_name_holds_a_control_character(client, world):
    feature = {
        "type": "Feature",
        "properties": {"code": "Z1", "name": "广场\x00", "unit": "cgj"},
        "geometry": {"type": "Point", "coordinates": [LON, LAT]},
    }
    r = client.post(
        "/api/v1/zones/import?layer=site",
        json={"type": "FeatureCollection", "features": [feature]},
        headers=world.h("admin"),
    )
    assert r.status_code == 422, r.text
    assert "feature 0" in r.json()["detail"] and "'name'" in r.json()["detail"]


def test_open311_post_refuses_a_description_with_nul_and_the_xml_list_stays_readable(client, world, session):
    from app.services.open311.keys import create_api_key

    _, key = create_api_key(session, "client")
    form = {"api_key": key, "service_code": "env.litter", "lat": str(LAT), "long": str(LON)}
    r = client.post("/open311/v2/requests.json", data={**form, "description": "坏\x00了"})
    assert r.status_code == 400, r.text
    assert "description" in r.json()[0]["description"]
    r = client.post("/open311/v2/requests.json", data={**form, "first_name": "\x0c"})
    assert r.status_code == 400 and "first_name" in r.json()[0]["description"], r.text
    assert client.post("/open311/v2/requests.json", data={**form, "description": "好"}).status_code == 201
    ET.fromstring(client.get("/open311/v2/requests.xml").content)
