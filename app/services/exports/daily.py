"""The daily report workbook the office sends up the chain: summary, per-unit, overdue and site readiness sheets."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlmodel import Session

from app.config import Settings
from app.errors import InvalidInput
from app.models.base import utcnow
from app.services.exports.cells import xlsx_row
from app.services.exports.issues import STATUS_NAMES, local_text, save
from app.services.stats import figures as stats
from app.services.stats.filters import StatsFilter
from app.services.stats.indicators import black_list_order, trend

UNIT_HEADERS = ["单位编码", "单位名称", "已派遣", "已结案", "未结案", "超期", "整改率"]
OVERDUE_HEADERS = [
    "编号",
    "状态",
    "问题类别",
    "责任单位",
    "责任单位名称",
    "处置期限",
    "超期(小时)",
    "上报时间",
    "纬度",
    "经度",
]
SITE_HEADERS = [
    "点位编码",
    "点位名称",
    "点位类型",
    "责任单位",
    "达标率",
    "最近检查",
    "距今天数",
    "自查",
    "未结案",
    "超期",
]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def report_day(text: str | None, settings: Settings, now: datetime) -> date:
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    if not text:
        return today
    try:
        day = date.fromisoformat(text)
    except ValueError as e:
        raise InvalidInput(f"date: {text!r} is not a date such as 2026-11-25") from e
    if day > today:
        raise InvalidInput("date: the report of a day that has not come yet cannot be made")
    return day


def daily_report(session: Session, settings: Settings, day_text: str | None = None) -> tuple[str, date]:
    """Writes the workbook to a temporary file; returns (its path, the day it reports).

    The day's new and closed counts are that day's; every other figure is as of the moment it is made.
    """
    now = utcnow()
    day = report_day(day_text, settings, now)
    tz = ZoneInfo(settings.timezone)
    flt = StatsFilter()
    summary = stats.summary(session, flt, now)
    ind = stats.indicators(session, flt, now)
    days_back = (now.astimezone(tz).date() - day).days + 1
    that_day = trend(session, settings, flt, days=days_back, now=now)[0] if days_back <= 366 else None

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def title(sheet, text: str) -> None:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True, size=14)
        sheet.append([cell])

    def header(sheet, names: list[str]) -> None:
        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    sheet = workbook.create_sheet("汇总")
    title(sheet, f"文明城市创建问题整改日报（{day.isoformat()}）")
    sheet.append(["统计时间", local_text(now, tz)])
    sheet.append([])
    header(sheet, ["指标", "数值"])
    rows = [
        ("当日新增问题", that_day.new if that_day else "—"),
        ("当日结案问题", that_day.closed if that_day else "—"),
        ("问题总数", summary.total),
        ("已受理（派遣）", summary.accepted),
        ("已结案", summary.closed),
        ("整改率（结案率）", _percent(summary.rectification_rate)),
        ("超期未整改", summary.overdue),
        ("按期结案率", _percent(ind.on_time_rate)),
        ("返工率", _percent(ind.rework_rate)),
        ("延期申请中", ind.extension_pending),
    ]
    for row in rows:
        sheet.append(list(row))
    sheet.append([])
    header(sheet, ["状态", "数量"])
    for status, n in summary.by_status.items():
        sheet.append([STATUS_NAMES.get(status, status), n])

    units = workbook.create_sheet("单位")
    title(units, f"责任单位整改情况（{day.isoformat()}）")
    header(units, UNIT_HEADERS)
    ranked = sorted(
        (u for u in stats.unit_stats(session, flt, now) if u.assigned),
        key=black_list_order,
    )
    for u in ranked:
        units.append(
            xlsx_row(
                units,
                [u.unit, u.name, u.assigned, u.closed, u.open, u.overdue, _percent(u.rectification_rate)],
            )
        )

    overdue = workbook.create_sheet("超期")
    title(overdue, f"超期问题清单（截至 {local_text(now, tz)}）")
    header(overdue, OVERDUE_HEADERS)
    result = session.execute(
        stats.overdue_query(flt, now).execution_options(stream_results=True, yield_per=1000)
    )
    for _id, ref, status, category, unit, unit_name, due_at, created_at, lat, lon in result:
        overdue.append(
            xlsx_row(
                overdue,
                [
                    ref,
                    STATUS_NAMES.get(status, status),
                    category,
                    unit or "",
                    unit_name or "",
                    local_text(due_at, tz),
                    round((now - due_at).total_seconds() / 3600, 1),
                    local_text(created_at, tz),
                    lat,
                    lon,
                ],
            )
        )
    sites = workbook.create_sheet("点位")
    title(sites, f"点位达标情况（最不达标在前，截至 {local_text(now, tz)}）")
    header(sites, SITE_HEADERS)
    for s in stats.site_stats(session, flt, now, order="readiness", timezone=settings.timezone):
        sites.append(
            [
                s.code,
                s.name,
                s.category or "",
                s.unit,
                _percent(s.pass_share) if s.last_inspected_at else "未检查",
                local_text(s.last_inspected_at, tz) if s.last_inspected_at else "",
                s.days_since_inspected if s.days_since_inspected is not None else "",
                "" if s.last_self_check is None else ("是" if s.last_self_check else "否"),
                s.open,
                s.overdue,
            ]
        )
    return save(workbook), day
