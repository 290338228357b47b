"""Periodic work of the worker, run once per period however many processes run it.

Each job's next run is a row (scheduled_job); a process claims a run by moving that row on with a conditional
UPDATE in the job's own transaction, so of two processes only one runs it. On PostgreSQL the transaction first
takes a transaction-scoped advisory lock without waiting: a second process skips the scheduled work at once
instead of queueing behind the first.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.config import Settings
from app.models import Issue
from app.models.message import ScheduledJob
from app.notify.texts import MessageKind, daily_summary, weekly_report_message
from app.services.calendar import work_calendar
from app.services.exports.weekly import red_and_black, week_of, why
from app.services.issues.escalate import escalate_overdue
from app.services.messages.outbox import already_sent, enqueue, issue_outgoing, office_channels, unit_channels
from app.services.score import scored_units
from app.services.stats.figures import summary
from app.services.stats.filters import StatsFilter
from app.workflow.states import WORKING_STATUSES

log = logging.getLogger("xuncha.schedule")
ADVISORY_KEY = 0x78756E6368610001  # "xuncha" + 1: the scheduled work's lock
WEEKLY_AT = time(9, 0)
FIRST_LOOKBACK = timedelta(days=1)  # a first overdue scan tells of deadlines passed this long ago at most
JobRun = Callable[[Session, Settings, datetime, datetime | None], None]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobRun  # (session, settings, now, the previous run's time) -> None; the caller commits
    next_after: Callable[[Settings, datetime], datetime]
    starts_now: bool = True  # a scan starts at once; a summary waits for its hour


def every(seconds: float) -> Callable[[Settings, datetime], datetime]:
    return lambda _settings, now: now + timedelta(seconds=seconds)


def daily_at(settings: Settings, now: datetime) -> datetime:
    """The next local `daily_summary_at` after now."""
    tz = ZoneInfo(settings.timezone)
    at = time.fromisoformat(settings.daily_summary_at)
    local = now.astimezone(tz)
    moment = datetime.combine(local.date(), at, tz)
    if moment <= local:
        moment = datetime.combine(local.date() + timedelta(days=1), at, tz)
    return moment


def weekly_at(_settings: Settings, now: datetime) -> datetime:
    """The next Monday 09:00 (local) after now: the weekly 通报 goes out then."""
    tz = ZoneInfo(_settings.timezone)
    local = now.astimezone(tz)
    monday = local.date() + timedelta(days=(7 - local.weekday()) % 7)
    moment = datetime.combine(monday, WEEKLY_AT, tz)
    return moment if moment > local else moment + timedelta(days=7)


def send_weekly_report(session: Session, settings: Settings, now: datetime, _last: datetime | None) -> None:
    """Last week's 通报 to the office's groups: the red list's size, the black list with the reasons."""
    start, end, monday = week_of(settings, None, now)
    key = f"{MessageKind.weekly_report}:{monday.isoformat()}"
    channels = office_channels(session)
    if not channels or already_sent(session, key):
        return
    red, black = red_and_black(scored_units(session, settings, start, end, now))
    message = weekly_report_message(
        monday.isoformat(),
        [u.unit_name for u in red],
        [(u.unit_name, u.score, why(u)) for u in black],
        settings.public_url.rstrip("/") + "/#/score",
    )
    enqueue(session, channels, MessageKind.weekly_report, message, now, dedupe_key=key)


def _open_with_deadline(low: datetime | None, high: datetime):
    query = select(Issue).where(
        Issue.status.in_(WORKING_STATUSES), Issue.unit_id.is_not(None), Issue.due_at <= high
    )
    return query.where(Issue.due_at > low) if low is not None else query


def _tell_unit(session: Session, settings: Settings, issue: Issue, kind: MessageKind, now: datetime) -> None:
    key = f"{kind}:{issue.id}:{issue.due_at.isoformat()}"
    if already_sent(session, key):
        return
    channels = unit_channels(session, issue.unit_id)
    if channels:
        message = issue_outgoing(session, settings, issue, kind)
        enqueue(session, channels, kind, message, now, issue.id, dedupe_key=key)


def scan_overdue(session: Session, settings: Settings, now: datetime, last: datetime | None) -> None:
    """Tells each unit of the issues whose deadline passed since the last scan (a worker down meanwhile too)."""
    since = last or now - FIRST_LOOKBACK
    for issue in session.execute(_open_with_deadline(since, now)).scalars():
        _tell_unit(session, settings, issue, MessageKind.overdue, now)


def scan_due_soon(session: Session, settings: Settings, now: datetime, _last: datetime | None) -> None:
    """In working hours, tells each unit of deadlines within `due_soon_work_hours` working hours."""
    if settings.due_soon_work_hours <= 0:
        return
    calendar = work_calendar(session, settings, now)
    if not calendar.is_working_time(now):
        return
    horizon = calendar.add_work_hours(now, settings.due_soon_work_hours)
    for issue in session.execute(_open_with_deadline(now, horizon)).scalars():
        _tell_unit(session, settings, issue, MessageKind.due_soon, now)


def send_daily_summary(session: Session, settings: Settings, now: datetime, _last: datetime | None) -> None:
    """The day's figures to the office's group, on workdays."""
    tz = ZoneInfo(settings.timezone)
    day = now.astimezone(tz).date()
    if not work_calendar(session, settings, now).is_workday(day):
        return
    key = f"{MessageKind.daily_summary}:{day.isoformat()}"
    channels = office_channels(session)
    if not channels or already_sent(session, key):
        return
    start = datetime.combine(day, time.min, tz)
    figures = summary(session, StatsFilter(), now)

    def count(column) -> int:
        return session.execute(
            select(func.count()).select_from(Issue).where(column >= start, column <= now)
        ).scalar_one()

    open_now = sum(figures.by_status[s] for s in ("reported", "dispatched", "in_progress", "rectified"))
    message = daily_summary(
        day.isoformat(),
        open_now,
        count(Issue.dispatched_at),
        count(Issue.closed_at),
        figures.overdue,
        figures.rectification_rate,
        settings.public_url.rstrip("/") + "/",
    )
    enqueue(session, channels, MessageKind.daily_summary, message, now, dedupe_key=key)


JOBS: list[Job] = [
    Job("overdue", scan_overdue, every(60)),
    Job("due_soon", scan_due_soon, every(60)),
    Job("daily_summary", send_daily_summary, daily_at, starts_now=False),
    Job("escalation", escalate_overdue, every(60)),
    Job("weekly_report", send_weekly_report, weekly_at, starts_now=False),
]


def _first_run(job: Job, settings: Settings, now: datetime) -> datetime:
    return now if job.starts_now else job.next_after(settings, now)


def _ensure_rows(session: Session, settings: Settings, now: datetime) -> None:
    have = set(session.execute(select(ScheduledJob.name)).scalars())
    for job in JOBS:
        if job.name not in have:
            session.add(ScheduledJob(name=job.name, next_run_at=_first_run(job, settings, now)))
            try:
                session.commit()
            except IntegrityError:  # another process made it a moment ago
                session.rollback()


def _locked_out(session: Session) -> bool:
    """On PostgreSQL: True when another process holds the scheduled work's lock (this one then skips)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    got = session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY}).scalar_one()
    return not got


def run_due_jobs(session: Session, settings: Settings, worker: str, now: datetime) -> list[str]:
    """Runs each job whose time has come and that no other process has run; returns their names."""
    _ensure_rows(session, settings, now)
    ran: list[str] = []
    for job in JOBS:
        try:
            if _locked_out(session):
                session.rollback()
                return ran
            row = session.get(ScheduledJob, job.name, populate_existing=True)
            if row.next_run_at > now:
                session.rollback()
                continue
            claimed = session.execute(
                update(ScheduledJob)
                .where(ScheduledJob.name == job.name, ScheduledJob.next_run_at == row.next_run_at)
                .values(
                    next_run_at=job.next_after(settings, now),
                    last_run_at=now,
                    last_run_by=worker,
                    runs=ScheduledJob.runs + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                session.rollback()
                continue
            job.run(session, settings, now, row.last_run_at)
            session.commit()
            ran.append(job.name)
        except Exception:
            session.rollback()
            log.exception("scheduled job %s failed; it runs again at its next turn", job.name)
    return ran
