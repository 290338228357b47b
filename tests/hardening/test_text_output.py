"""User text where it goes out: spreadsheets (no formulas), logs (one line), Open311 (public notes only)."""

import csv
import io
import logging
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.models import Role
from app.models.base import utcnow

FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def office(make_user_fast) -> dict:
    return make_user_fast("office1", Role.office)


@pytest.fixture
def poisoned(make_issue, make_unit):
    unit = make_unit("cgj", "=cmd|' /C calc'!A0")
    late = utcnow() - timedelta(hours=3)
    return [make_issue("dispatched", unit, description=text, due_at=late) for text in FORMULAS]


def test_csv_cells_that_would_be_formulas_start_with_an_apostrophe(client, office, poisoned):
    r = client.get("/api/v1/exports/issues.csv", headers=office["headers"])
    assert r.status_code == 200, r.text
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    head = rows[0]
    descriptions = sorted(row[head.index("问题描述")] for row in rows[1:])
    assert descriptions == sorted("'" + text for text in FORMULAS)
    assert {row[head.index("责任单位名称")] for row in rows[1:]} == {"'=cmd|' /C calc'!A0"}
    assert {row[head.index("纬度")][0] for row in rows[1:]} != {"'"}  # numbers are left alone


def _cells(content: bytes, sheet: str | None = None):
    book = load_workbook(io.BytesIO(content))
    return [cell for row in (book[sheet] if sheet else book.active).iter_rows() for cell in row]


def test_xlsx_cells_of_user_text_are_strings_never_formulas(client, office, poisoned):
    r = client.get("/api/v1/exports/issues.xlsx", headers=office["headers"])
    assert r.status_code == 200, r.text
    cells = _cells(r.content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}  # (XML reads a CR back as a newline)
    assert {t.replace("\r", "\n") for t in FORMULAS} <= texts and "=cmd|' /C calc'!A0" in texts


def test_the_daily_report_writes_unit_names_as_strings(client, office, poisoned):
    r = client.get("/api/v1/exports/daily-report.xlsx", headers=office["headers"])
    assert r.status_code == 200, r.text
    for sheet in ("单位", "超期"):
        cells = _cells(r.content, sheet)
        assert not [c.coordinate for c in cells if c.data_type == "f"], sheet
        assert "=cmd|' /C calc'!A0" in {c.value for c in cells}, sheet


def test_a_newline_in_a_path_cannot_forge_a_log_line(client, world):
    stream = io.StringIO()
    handler = logging.getLogger("xuncha").handlers[0]
    old = handler.setStream(stream)
    try:
        forged = "x\n2026-11-29 12:00:00,000 INFO [-] xuncha.access: POST /api/v1/users 201"
        r = client.get("/api/v1/nothing/" + forged.replace("\n", "%0A").replace(" ", "%20"))
        assert r.status_code == 404
    finally:
        handler.setStream(old)
    lines = stream.getvalue().splitlines()
    access = [line for line in lines if "xuncha.access" in line]
    assert len(access) == 1, lines  # the request's own line, and no second one it made up
    assert "\\n2026-11-29" in access[0]


def test_a_logged_exception_message_cannot_start_a_line(world):
    stream = io.StringIO()
    handler = logging.getLogger("xuncha").handlers[0]
    old = handler.setStream(stream)
    try:
        try:
            raise ValueError("bad\n2026-11-29 12:00:00,000 INFO [-] xuncha.access: forged")
        except ValueError:
            logging.getLogger("xuncha.test").exception("failed on %s", "a\rb")
    finally:
        handler.setStream(old)
    lines = stream.getvalue().splitlines()
    assert lines[0].endswith("failed on a\\rb")
    assert all(line.startswith("    | ") for line in lines[1:]), lines


def test_open311_shows_only_the_notes_meant_for_the_reporter(client, world, report, act, make_photo):
    from tests.issues.conftest import LAT, LON

    issue = report().json()
    assert act(issue["id"], "office", "accept", note="内部：先派城管，别告诉群众").status_code == 200
    r = client.get(f"/open311/v2/requests/{issue['ref']}.json")
    assert r.json()[0]["status_notes"] == ""
    assert act(issue["id"], "unit", "dispute", note="不归我们管，内部争议").status_code == 200
    assert client.get(f"/open311/v2/requests/{issue['ref']}.json").json()[0]["status_notes"] == ""
    photo = make_photo((LON, LAT))
    r = act(issue["id"], "unit", "rectify", note="已清理完毕", photo_ids=[photo])
    assert r.status_code == 200, r.text
    assert client.get(f"/open311/v2/requests/{issue['ref']}.json").json()[0]["status_notes"] == "已清理完毕"
    assert act(issue["id"], "office", "reopen", note="内部：整改不到位").status_code == 200
    body = client.get(f"/open311/v2/requests/{issue['ref']}.json").json()[0]
    assert body["status_notes"] == "已清理完毕"  # the reopen reason stays internal


def test_open311_discovery_links_come_from_the_setting_not_the_host_header(client, monkeypatch):
    from app.config import get_settings

    monkeypatch.setenv("XUNCHA_PUBLIC_URL", "https://xuncha.example.gov.cn/")
    get_settings.cache_clear()
    r = client.get("/open311/v2/discovery.json", headers={"Host": "evil.example"})
    assert r.status_code == 200
    assert r.json()["endpoints"][0]["url"] == "https://xuncha.example.gov.cn/open311/v2"
    assert "evil" not in r.text


def test_a_public_url_that_is_not_an_http_address_is_refused(monkeypatch):
    from pydantic import ValidationError

    from app.config import Settings

    with pytest.raises(ValidationError):
        Settings(public_url="javascript:alert(1)")
