"""An independent Open311 client from PyPI (georeport: GeoReport v2, JSON and XML via xmltodict) reads
this server over real HTTP. georeport cannot POST; the POST round trip is in test_post.py."""

import httpx2
import pytest
import requests
import xmltodict
from georeport import GeoReport

from app.cli import main
from app.models.base import utcnow


@pytest.fixture
def made(make_issue, make_unit):
    unit = make_unit("cgj", "区城管局")
    return [
        make_issue("in_progress", unit, description="井盖缺失", notes=("已派遣",)),
        make_issue("closed", unit, category="fac.lamp"),
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_reads_services_definitions_and_requests(live_server, made, fmt):
    client = GeoReport(f"{live_server}/open311/v2", output_format=fmt)
    services = client.get_service_list()
    assert {"env.litter", "fac.lamp", "other"} <= {s["service_code"] for s in services}
    definition = client.get_service_definition("fac.lamp")
    assert definition["service_code"] == "fac.lamp"
    requests = client.get_service_requests(status="open")
    if fmt == "xml":  # xmltodict gives one child as a dict, several as a list
        requests = requests if isinstance(requests, list) else [requests]
    assert [r["service_request_id"] for r in requests] == [made[0].ref]
    one = client.get_service_request(made[0].ref)
    assert (
        one["status"] == "open" and not one["status_notes"]
    )  # an accept note is internal (XML reads "" as None)
    assert one["agency_responsible"] == "区城管局" and one["description"] == "井盖缺失"
    closed = client.get_service_requests(
        service_code="fac.lamp", end_date=utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    closed = closed if isinstance(closed, list) else [closed]
    assert [r["status"] for r in closed] == ["closed"]


def test_georeport_client_sees_a_missing_request_as_an_http_error(live_server, made):
    client = GeoReport(f"{live_server}/open311/v2")
    with pytest.raises(requests.HTTPError) as caught:
        client.get_service_request("2026-999999")
    assert caught.value.response.status_code == 404
    assert caught.value.response.json()[0]["code"] == 404


def test_a_posted_request_reads_back_through_the_georeport_client(live_server, capsys):
    assert main(["api-key", "create", "hotline"]) == 0
    key = capsys.readouterr().out.splitlines()[1]
    posted = httpx2.post(
        f"{live_server}/open311/v2/requests.xml",
        data={
            "api_key": key,
            "service_code": "fac.bin",
            "lat": "28.2101",
            "long": "112.9502",
            "description": "满溢",
        },
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    ref = xmltodict.parse(posted.content)["service_requests"]["request"]["service_request_id"]
    for fmt in ("xml", "json"):
        got = GeoReport(f"{live_server}/open311/v2", output_format=fmt).get_service_request(ref)
        assert got["service_code"] == "fac.bin" and got["status"] == "open" and got["description"] == "满溢"
        assert float(got["lat"]) == 28.2101 and float(got["long"]) == 112.9502
