"""The weekly 通报 workbook: the red list (no point lost), the black list (most points lost, with why), and
every point lost with what caused it."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlmodel import Session

from app.config import Settings
from app.errors import InvalidInput
from app.models.base import utcnow
from app.models.score import UnitScore
from app.services import score
from app.services.exports.issues import local_text, save
from app.workflow.scoring import Rule

BLACK_LIST_SIZE = 10
RULE_NAMES = {
    Rule.overdue: "超期未整改",
    Rule.reopen: "返工",
    Rule.faked_evidence: "弄虚作假（照片被拒）",
    Rule.failed_check: "检查项不合格",
    Rule.late_directive: "指令逾期",
    Rule.empty_post: "岗位无人",
}
DETAIL_HEADERS = [
    "单位编码",
    "单位名称",
    "扣分项",
    "扣分",
    "时间",
    "原因",
    "问题编号",
    "指令",
    "事件序号",
    "链接",
]


def week_of(settings: Settings, text: str | None, now: datetime) -> tuple[datetime, datetime, date]:
    """(Monday 00:00, next Monday 00:00, Monday) of the week holding `text` (a date), default the last full week."""
    tz = ZoneInfo(settings.timezone)
    today = now.astimezone(tz).date()
    if text:
        try:
            day = date.fromisoformat(text)
        except ValueError as e:
            raise InvalidInput(f"week: {text!r} is not a date such as 2026-11-23") from e
    else:
        day = today - timedelta(days=7)
    monday = day - timedelta(days=day.weekday())
    if monday > today:
        raise InvalidInput("week: that week has not begun")
    start = datetime.combine(monday, time.min, tz)
    return start, start + timedelta(days=7), monday


def red_and_black(scores: list[UnitScore]) -> tuple[list[UnitScore], list[UnitScore]]:
    """Units that lost no point (by code), and those that lost the most (lowest score first)."""
    red = sorted((s for s in scores if s.deducted == 0), key=lambda s: s.unit)
    black = sorted((s for s in scores if s.deducted > 0), key=lambda s: (s.score, s.unit))[:BLACK_LIST_SIZE]
    return red, black


def why(s: UnitScore) -> str:
    return "；".join(
        f"{RULE_NAMES[Rule(r)]} 扣{p:g}分" for r, p in sorted(s.by_rule.items(), key=lambda x: -x[1])
    )


def weekly_report(session: Session, settings: Settings, week_text: str | None = None) -> tuple[str, date]:
    now = utcnow()
    start, end, monday = week_of(settings, week_text, now)
    tz = ZoneInfo(settings.timezone)
    scores = score.scored_units(session, settings, start, min(end, now), now)
    red, black = red_and_black(scores)
    workbook = Workbook(write_only=True)
    span = f"{monday.isoformat()} 至 {(monday + timedelta(days=6)).isoformat()}"

    def text(sheet, value) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # a note beginning with = is text, never a formula (OWASP CSV injection)
        return cell

    def row(sheet, values: list, bold: bool = False) -> None:
        cells = [text(sheet, v) for v in values]
        if bold:
            for c in cells:
                c.font = Font(bold=True)
        sheet.append(cells)

    sheet = workbook.create_sheet("红榜")
    row(sheet, [f"红榜：本周未扣分单位（{span}）"], bold=True)
    row(sheet, ["单位编码", "单位名称", "得分"], bold=True)
    for s in red:
        row(sheet, [s.unit, s.unit_name, s.score])
    sheet = workbook.create_sheet("黑榜")
    row(sheet, [f"黑榜：本周扣分最多的单位（{span}）"], bold=True)
    row(sheet, ["名次", "单位编码", "单位名称", "得分", "扣分", "扣分原因"], bold=True)
    for n, s in enumerate(black, 1):
        row(sheet, [n, s.unit, s.unit_name, s.score, s.deducted, why(s)])
    sheet = workbook.create_sheet("扣分明细")
    row(sheet, DETAIL_HEADERS, bold=True)
    for s in scores:
        for d in s.deductions:
            row(
                sheet,
                [
                    s.unit,
                    s.unit_name,
                    RULE_NAMES[d.rule],
                    d.points,
                    local_text(d.at, tz),
                    d.reason,
                    d.issue_ref or "",
                    d.directive_id or "",
                    ",".join(map(str, d.event_seqs)),
                    d.link or "",
                ],
            )
    return save(workbook), monday
