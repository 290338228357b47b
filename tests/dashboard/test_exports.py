"""Exports: CSV with a BOM, XLSX written row by row, the daily report workbook; the list's filters; office only."""

import csv
import io
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from app.models import Issue, Role
from app.models.base import utcnow
from app.services.exports import issues as exports
from app.services.issues.query import IssueFilters

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def office(make_user) -> dict:
    return make_user("office1", Role.office)


@pytest.fixture
def made(make_issue, make_unit, make_zone):
    unit = make_unit("cgj", "区城管局")
    make_zone("site", "S1", unit, name="人民广场")
    now = utcnow()
    return {
        "late": make_issue(
            "dispatched",
            unit,
            due_at=now - timedelta(hours=5),
            description="垃圾, 堆放\n两处",
            zones=(("site", "S1"),),
        ),
        "closed": make_issue("closed", unit, category="fac.lamp"),
        "new": make_issue("reported"),
    }


def test_csv_has_a_bom_chinese_headers_and_one_row_per_issue(client, office, made):
    r = client.get("/api/v1/exports/issues.csv", headers=office["headers"])
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert 'filename="issues.csv"' in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["编号", "状态", "问题类别", "类别名称"]
    by_ref = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_ref) == {i.ref for i in made.values()}
    late = by_ref[made["late"].ref]
    assert late["状态"] == "已派遣" and late["是否超期"] == "是"
    assert late["问题描述"] == "垃圾, 堆放\n两处"  # commas and newlines survive quoting
    assert late["责任单位名称"] == "区城管局" and late["点位"] == "人民广场"
    assert by_ref[made["closed"].ref]["状态"] == "已结案"


def test_csv_takes_the_issue_lists_filters(client, office, made):
    def refs(**params):
        r = client.get("/api/v1/exports/issues.csv", params=params, headers=office["headers"])
        assert r.status_code == 200, r.text
        return {
            line.split(",")[0]
            for line in r.content.decode("utf-8-sig").splitlines()[1:]
            if line[:4].isdigit()
        }

    assert refs(status="closed") == {made["closed"].ref}
    assert refs(overdue="true") == {made["late"].ref}
    assert refs(category="fac.lamp,env.litter", unit="cgj") == {made["late"].ref, made["closed"].ref}
    r = client.get("/api/v1/exports/issues.csv", params={"status": "lost"}, headers=office["headers"])
    assert r.status_code == 422 and r.json()["detail"].startswith("status")


def test_exports_are_for_the_office(client, make_user, made):
    unit = make_user("u1", Role.unit)
    for path in ("issues.csv", "issues.xlsx", "daily-report.xlsx"):
        assert client.get(f"/api/v1/exports/{path}").status_code == 401
        assert client.get(f"/api/v1/exports/{path}", headers=unit["headers"]).status_code == 403


def test_xlsx_has_the_same_rows(client, office, made):
    r = client.get(
        "/api/v1/exports/issues.xlsx", params={"status": "dispatched,closed"}, headers=office["headers"]
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exports.HEADERS
    assert {row[0] for row in rows[1:]} == {made["late"].ref, made["closed"].ref}


def test_a_large_export_is_streamed_in_batches(session, settings, reporter, office):
    now = utcnow()
    session.add_all(
        Issue(
            id=str(uuid.uuid4()),
            ref=f"2026-{n:06d}",
            category="other",
            lat=28.2,
            lon=112.9,
            reporter_id=reporter.id,
            content_hash="0" * 64,
            created_at=now - timedelta(seconds=n),
        )
        for n in range(2 * exports.BATCH + 10)
    )
    session.commit()
    chunks = list(exports.csv_chunks(settings, office["user"], IssueFilters()))
    assert len(chunks) == 4  # the header, two full batches, the rest
    assert sum(c.count(b"\n") for c in chunks) == 2 * exports.BATCH + 11


def test_daily_report_has_summary_unit_overdue_and_site_sheets(client, office, made):
    r = client.get("/api/v1/exports/daily-report.xlsx", headers=office["headers"])
    assert r.status_code == 200, r.text
    today = utcnow().astimezone(TZ).date().isoformat()
    assert f"daily-report-{today}.xlsx" in r.headers["content-disposition"]
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["汇总", "单位", "超期", "点位"]
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True) if row and row[0]}
    assert summary["问题总数"] == 3 and summary["已结案"] == 1 and summary["超期未整改"] == 1
    assert summary["整改率（结案率）"] == "50.0%"
    assert summary["当日新增问题"] in (0, 1, 2, 3)
    units = list(book["单位"].iter_rows(values_only=True))
    assert units[1][:2] == ("单位编码", "单位名称")
    assert units[2][:6] == ("cgj", "区城管局", 2, 1, 1, 1)
    overdue = list(book["超期"].iter_rows(values_only=True))
    assert [row[0] for row in overdue[2:]] == [made["late"].ref]
    assert overdue[2][6] == pytest.approx(5, abs=0.1)


@pytest.mark.parametrize("day", ["tomorrow", "2999-01-01"])
def test_daily_report_of_a_bad_or_future_day_is_422(client, office, day):
    r = client.get("/api/v1/exports/daily-report.xlsx", params={"date": day}, headers=office["headers"])
    assert r.status_code == 422 and r.json()["detail"].startswith("date")


def test_daily_report_of_a_past_day_counts_that_days_new_issues(client, office, make_issue):
    yesterday = utcnow() - timedelta(days=1)
    make_issue("reported", created_at=yesterday)
    day = yesterday.astimezone(TZ).date().isoformat()
    r = client.get("/api/v1/exports/daily-report.xlsx", params={"date": day}, headers=office["headers"])
    book = load_workbook(io.BytesIO(r.content))
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True) if row and row[0]}
    assert summary["当日新增问题"] == 1
    assert day in r.headers["content-disposition"]
