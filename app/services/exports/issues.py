"""Exports of the filtered issue list: CSV (UTF-8 with BOM, for Excel) and XLSX (openpyxl write-only).

The rows come from the workflow's filtered_issues_query (the same issues the list shows), streamed from the
database in batches by a session of the export's own, so 100,000 rows never sit in memory at once.
"""

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy import and_
from sqlalchemy.orm import aliased

from app.config import Settings
from app.db import new_session
from app.models import Category, Issue, IssueZone, Status, Unit, User, Zone
from app.models.base import utcnow
from app.services.exports.cells import csv_cell, xlsx_row
from app.services.issues.query import IssueFilters, filtered_issues_query, overdue_clause

BATCH = 1000
STATUS_NAMES: dict[str, str] = {
    Status.reported: "已上报",
    Status.dispatched: "已派遣",
    Status.in_progress: "处置中",
    Status.rectified: "已整改",
    Status.closed: "已结案",
    Status.rejected: "已驳回",
    Status.merged: "已合并",
}
HEADERS = [
    "编号",
    "状态",
    "问题类别",
    "类别名称",
    "问题描述",
    "责任单位",
    "责任单位名称",
    "点位",
    "上报人",
    "上报时间",
    "派遣时间",
    "处置期限",
    "整改时间",
    "结案时间",
    "是否超期",
    "返工次数",
    "纬度",
    "经度",
    "ID",
]


def local_text(moment: datetime | None, tz: ZoneInfo) -> str:
    """A local time as Excel reads it (no zone, to the minute); '' for none."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def export_query(user: User, filters: IssueFilters, now: datetime):
    """The list's issues as export rows: names joined in, newest first (the list's own order)."""
    site = aliased(IssueZone)
    site_zone = aliased(Zone)
    return (
        filtered_issues_query(user, filters, now)
        .with_only_columns(
            Issue.ref,
            Issue.status,
            Issue.category,
            Category.name,
            Issue.description,
            Unit.code,
            Unit.name,
            site_zone.name,
            User.display_name,
            Issue.created_at,
            Issue.dispatched_at,
            Issue.due_at,
            Issue.rectified_at,
            Issue.closed_at,
            overdue_clause(now),
            Issue.reopen_count,
            Issue.lat,
            Issue.lon,
            Issue.id,
        )
        .select_from(Issue)
        .join(Category, Category.code == Issue.category)
        .outerjoin(Unit, Unit.id == Issue.unit_id)
        .outerjoin(User, User.id == Issue.reporter_id)
        .outerjoin(site, and_(site.issue_id == Issue.id, site.layer == "site"))
        .outerjoin(site_zone, and_(site_zone.layer == "site", site_zone.code == site.code))
        .order_by(Issue.created_at.desc(), Issue.id.desc())
    )


def export_rows(settings: Settings, user: User, filters: IssueFilters) -> Iterator[list]:
    """The rows, as cell values, read in batches by a session of their own (the export outlives the request)."""
    tz = ZoneInfo(settings.timezone)
    now = utcnow()
    with new_session() as session:
        result = session.execute(
            export_query(user, filters, now).execution_options(stream_results=True, yield_per=BATCH)
        )
        for r in result:
            yield [
                r[0],
                STATUS_NAMES.get(r[1], r[1]),
                r[2],
                r[3],
                r[4],
                r[5] or "",
                r[6] or "",
                r[7] or "",
                r[8] or "",
                local_text(r[9], tz),
                local_text(r[10], tz),
                local_text(r[11], tz),
                local_text(r[12], tz),
                local_text(r[13], tz),
                "是" if r[14] else "否",
                r[15],
                r[16],
                r[17],
                r[18],
            ]


def csv_chunks(settings: Settings, user: User, filters: IssueFilters) -> Iterator[bytes]:
    """The CSV, a batch of rows per chunk; the BOM first so Excel reads the Chinese as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    yield "\ufeff".encode() + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    for n, row in enumerate(export_rows(settings, user, filters), start=1):
        writer.writerow([csv_cell(value) for value in row])
        if n % BATCH == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def write_xlsx(settings: Settings, user: User, filters: IssueFilters) -> str:
    """The XLSX in a temporary file (write-only: rows go to disk as they come); returns its path."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("问题清单")
    sheet.freeze_panes = "A2"
    sheet.append(HEADERS)
    for row in export_rows(settings, user, filters):
        sheet.append(xlsx_row(sheet, row))
    return save(workbook)


def save(workbook: Workbook) -> str:
    with tempfile.NamedTemporaryFile(prefix="xuncha-", suffix=".xlsx", delete=False) as f:
        workbook.save(f)
        return f.name
