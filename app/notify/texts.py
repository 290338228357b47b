"""The words of each message, in Chinese (a later language is another module like this one)."""

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.notify.platforms import Outgoing


class MessageKind(StrEnum):
    dispatch = "dispatch"  # an issue dispatched (accept) or reassigned to the unit
    reopen = "reopen"
    due_soon = "due_soon"
    overdue = "overdue"
    escalation = "escalation"
    directive = "directive"
    daily_summary = "daily_summary"
    weekly_report = "weekly_report"
    test = "test"


def local(at: datetime | None, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%m-%d %H:%M") if at else "—"


def issue_message(
    kind: MessageKind,
    ref: str,
    category: str,
    place: str,
    due_at: datetime | None,
    tz: ZoneInfo,
    link: str,
    note: str = "",
    extra: str = "",
) -> Outgoing:
    titles = {
        MessageKind.dispatch: f"【新派遣】{ref} {category}",
        MessageKind.reopen: f"【返工】{ref} {category}",
        MessageKind.due_soon: f"【即将到期】{ref} {category}",
        MessageKind.overdue: f"【已超期】{ref} {category}",
        MessageKind.escalation: f"【督办】{ref} {category}",
    }
    lines = [f"地点：{place or '—'}", f"处置时限：{local(due_at, tz)}"]
    if note:
        lines.append(f"说明：{note[:300]}")
    if extra:
        lines.append(extra)
    return Outgoing(titles[kind], "\n".join(lines), link)


def test_message(channel_name: str) -> Outgoing:
    return Outgoing("【测试】巡查消息通道", f"通道「{channel_name}」已接通。")


def daily_summary(
    day: str,
    total_open: int,
    dispatched_today: int,
    closed_today: int,
    overdue: int,
    rate: float | None,
    link: str,
) -> Outgoing:
    shown = "—" if rate is None else f"{rate * 100:.1f}%"
    body = "\n".join(
        [
            f"今日派遣：{dispatched_today}",
            f"今日结案：{closed_today}",
            f"在办问题：{total_open}",
            f"超期未办：{overdue}",
            f"整改率：{shown}",
        ]
    )
    return Outgoing(f"【每日通报】{day}", body, link)


def directive_message(title: str, text: str, due_at: datetime, tz: ZoneInfo, link: str) -> Outgoing:
    body = f"{text[:500]}\n完成时限：{local(due_at, tz)}\n请阅知并按时报告落实情况。"
    return Outgoing(f"【指令】{title}", body, link)


def weekly_report_message(
    week: str, red: list[str], black: list[tuple[str, float, str]], link: str
) -> Outgoing:
    lines = [f"红榜（未扣分）：{len(red)} 个单位" + (f"：{'、'.join(red[:10])}" if red else "")]
    if black:
        lines.append("黑榜：")
        lines += [
            f"{n}. {name} {points:g}分（{reasons}）" for n, (name, points, reasons) in enumerate(black[:5], 1)
        ]
    return Outgoing(f"【周通报】{week} 当周", "\n".join(lines), link)
