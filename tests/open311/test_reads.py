"""Open311 GeoReport v2 reads: field names and formats as the specification has them, in XML and JSON."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest

from app.models.base import utcnow
from app.services.open311 import requests as open311

V2 = "/open311/v2"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def xml(response) -> ET.Element:
    assert response.headers["content-type"].startswith("text/xml"), response.headers
    return ET.fromstring(response.content)


def test_discovery_names_this_endpoint_and_its_formats(client):
    body = client.get(f"{V2}/discovery.json").json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get(f"{V2}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


def test_services_are_our_categories_in_both_formats(client):
    services = client.get(f"{V2}/services.json").json()
    litter = next(s for s in services if s["service_code"] == "env.litter")
    assert litter == {
        "service_code": "env.litter",
        "service_name": "暴露垃圾、果壳纸屑",
        "description": litter["description"],
        "metadata": False,
        "type": "realtime",
        "keywords": "环境卫生",
        "group": "环境卫生",
    }
    assert "4 工作时" in litter["description"]
    root = xml(client.get(f"{V2}/services.xml"))
    assert root.tag == "services" and len(root) == len(services) >= 20
    first = root.find("service")
    assert [c.tag for c in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert first.find("metadata").text == "false"


def test_a_service_definition_and_an_unknown_one(client):
    assert client.get(f"{V2}/services/fac.lamp.json").json() == {"service_code": "fac.lamp", "attributes": []}
    root = xml(client.get(f"{V2}/services/fac.lamp.xml"))
    assert root.tag == "service_definition" and root.find("service_code").text == "fac.lamp"
    r = client.get(f"{V2}/services/fac.nope.json")
    assert r.status_code == 404
    assert r.json() == [{"code": 404, "description": "no service 'fac.nope'; GET services.xml lists them"}]
    r = client.get(f"{V2}/services/fac.nope.xml")
    assert r.status_code == 404
    err = xml(r)
    assert err.tag == "errors" and err.find("error/code").text == "404"


@pytest.fixture
def requests_made(make_issue, make_unit, make_zone):
    unit = make_unit("cgj", "区城管局")
    make_zone("road", "R1", unit, name="人民路")
    make_zone("site", "S1", unit, name="人民广场")
    now = utcnow()
    return {
        "open": make_issue(
            "in_progress",
            unit,
            description="垃圾桶满溢",
            zones=(("road", "R1"), ("site", "S1")),
            notes=("请两小时内清理",),
            due_at=now + timedelta(hours=2),
        ),
        "closed": make_issue("closed", unit, category="fac.lamp", created_at=now - timedelta(days=3)),
        "rejected": make_issue("rejected", created_at=now - timedelta(days=2), notes=("不属实",)),
        "old": make_issue("reported", created_at=now - timedelta(days=100)),
    }


def test_a_request_has_every_field_of_the_specification_in_order(client, requests_made):
    issue = requests_made["open"]
    body = client.get(f"{V2}/requests/{issue.ref}.json").json()
    assert isinstance(body, list) and len(body) == 1
    req = body[0]
    assert list(req) == REQUEST_FIELDS
    assert req["service_request_id"] == issue.ref
    assert req["status"] == "open"
    assert (
        req["status_notes"] == ""
    )  # an accept note is the office's instruction: internal (PUBLIC_NOTE_ACTIONS)
    assert req["service_name"] == "暴露垃圾、果壳纸屑" and req["service_code"] == "env.litter"
    assert req["description"] == "垃圾桶满溢"
    assert req["agency_responsible"] == "区城管局"
    assert req["address"] == "人民路"  # the most specific zone (a road outranks a site)
    assert req["lat"] == pytest.approx(issue.lat) and req["long"] == pytest.approx(issue.lon)
    expected = datetime.fromisoformat(req["expected_datetime"])
    assert req["expected_datetime"].endswith("+08:00")
    assert expected == pytest.approx(issue.due_at, abs=timedelta(seconds=1))
    assert datetime.fromisoformat(req["requested_datetime"]) == pytest.approx(
        issue.created_at, abs=timedelta(seconds=1)
    )
    root = xml(client.get(f"{V2}/requests/{issue.ref}.xml"))
    assert root.tag == "service_requests"
    assert [c.tag for c in root.find("request")] == REQUEST_FIELDS
    assert root.find("request/long").text == str(issue.lon)
    # the issue's own id is accepted too
    assert client.get(f"{V2}/requests/{issue.id}.json").json()[0]["service_request_id"] == issue.ref


def test_requests_default_to_the_last_90_days_newest_first(client, requests_made):
    refs = [r["service_request_id"] for r in client.get(f"{V2}/requests.json").json()]
    assert refs == [requests_made[k].ref for k in ("open", "rejected", "closed")]


def test_requests_filter_by_status_service_and_dates(client, requests_made):
    def refs(**params):
        r = client.get(f"{V2}/requests.json", params=params)
        assert r.status_code == 200, r.text
        return {x["service_request_id"] for x in r.json()}

    made = requests_made
    assert refs(status="open") == {made["open"].ref}
    assert refs(status="closed") == {made["closed"].ref, made["rejected"].ref}  # rejected is over, too
    assert refs(status="open,closed") == {made[k].ref for k in ("open", "closed", "rejected")}
    assert refs(service_code="fac.lamp") == {made["closed"].ref}
    assert refs(service_code="fac.lamp,env.litter", status="open") == {made["open"].ref}
    old = (utcnow() - timedelta(days=101)).isoformat()
    assert refs(start_date=old) == {made["old"].ref}  # 90 days from the start
    end = (utcnow() - timedelta(days=2, hours=12)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert refs(end_date=end) == {made["closed"].ref}  # the 90 days before the end


def test_service_request_ids_override_every_other_filter(client, requests_made):
    made = requests_made
    ids = f"{made['old'].ref},{made['closed'].ref},nope"
    body = client.get(f"{V2}/requests.json", params={"service_request_id": ids, "status": "open"}).json()
    assert {r["service_request_id"] for r in body} == {made["old"].ref, made["closed"].ref}


def test_requests_are_capped_at_1000(client, make_issue, monkeypatch):
    monkeypatch.setattr(open311, "MAX_REQUESTS", 3)
    for _ in range(5):
        make_issue("reported")
    assert len(client.get(f"{V2}/requests.json").json()) == 3


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"start_date": "last week"}, "start_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 days"),
        ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "end_date"),
        ({"status": "pending"}, "status"),
    ],
)
def test_a_bad_query_is_a_400_in_the_errors_format(client, params, words):
    r = client.get(f"{V2}/requests.json", params=params)
    assert r.status_code == 400
    [error] = r.json()
    assert error["code"] == 400 and words in error["description"]
    r = client.get(f"{V2}/requests.xml", params=params)
    assert r.status_code == 400 and words in xml(r).find("error/description").text


def test_missing_request_token_and_format_are_404s(client, requests_made):
    r = client.get(f"{V2}/requests/2026-999999.xml")
    assert r.status_code == 404 and xml(r).find("error/code").text == "404"
    assert client.get(f"{V2}/tokens/nope.json").status_code == 404
    r = client.get(f"{V2}/services.yaml")
    assert r.status_code == 404 and "xml or .json" in xml(r).find("error/description").text


def test_a_token_names_its_request(client, requests_made):
    issue = requests_made["open"]
    assert client.get(f"{V2}/tokens/{issue.id}.json").json() == [
        {"service_request_id": issue.ref, "token": issue.id}
    ]
    root = xml(client.get(f"{V2}/tokens/{issue.id}.xml"))
    assert root.find("request/service_request_id").text == issue.ref
