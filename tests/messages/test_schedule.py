"""Scheduled work: overdue and deadline-approaching messages, the daily summary, run once per period."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from app.models import Issue, ScheduledJob
from app.services.messages.schedule import ADVISORY_KEY, run_due_jobs
from tests.conftest import ON_POSTGRES

TZ = ZoneInfo("Asia/Shanghai")
MONDAY_10 = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)  # a working hour
SATURDAY_10 = datetime(2026, 12, 5, 10, 0, tzinfo=TZ)


@pytest.fixture
def dispatched(report, act, session):
    """An issue dispatched to cgj whose deadline is put at `due_at`."""

    def make(due_at: datetime) -> Issue:
        issue_id = report().json()["id"]
        assert act(issue_id, "office", "accept").status_code == 200
        issue = session.get(Issue, issue_id, populate_existing=True)
        issue.due_at = due_at
        session.add(issue)
        session.commit()
        return issue

    return make


def test_an_overdue_issue_is_told_to_its_unit_once(session, settings, world, add_channel, dispatched, outbox):
    channel, _ = add_channel(world.units["cgj"], "cgj")
    issue = dispatched(MONDAY_10 + timedelta(minutes=5))
    assert run_due_jobs(session, settings, "w", MONDAY_10) == ["overdue", "due_soon", "escalation"]
    assert outbox(kind="overdue") == []
    later = MONDAY_10 + timedelta(minutes=6)
    assert "overdue" in run_due_jobs(session, settings, "w", later)
    [row] = outbox(kind="overdue")
    assert row.channel_id == channel.id and row.issue_id == issue.id and "已超期" in row.title
    for minutes in (8, 60, 600):
        run_due_jobs(session, settings, "w", MONDAY_10 + timedelta(minutes=minutes))
    assert len(outbox(kind="overdue")) == 1


def test_deadlines_passed_while_the_worker_was_down_are_still_told(
    session, settings, world, add_channel, dispatched, outbox
):
    add_channel(world.units["cgj"], "cgj")
    run_due_jobs(session, settings, "w", MONDAY_10)
    dispatched(MONDAY_10 + timedelta(hours=3))
    run_due_jobs(session, settings, "w", MONDAY_10 + timedelta(hours=20))  # down all that time
    assert len(outbox(kind="overdue")) == 1


def test_a_deadline_approaching_is_told_in_working_hours_only(
    session, settings, world, add_channel, dispatched, outbox
):
    add_channel(world.units["cgj"], "cgj")
    monday = SATURDAY_10 + timedelta(days=2)
    dispatched(monday)  # Monday 10:00: within 2 working hours from Monday 08:30
    run_due_jobs(session, settings, "w", SATURDAY_10)
    assert outbox(kind="due_soon") == []
    run_due_jobs(session, settings, "w", SATURDAY_10 + timedelta(days=1, hours=12))  # Sunday night
    assert outbox(kind="due_soon") == []
    run_due_jobs(session, settings, "w", monday - timedelta(hours=1, minutes=29))  # Monday 08:31
    [row] = outbox(kind="due_soon")
    assert "即将到期" in row.title
    run_due_jobs(session, settings, "w", monday - timedelta(minutes=30))
    assert len(outbox(kind="due_soon")) == 1


def test_the_daily_summary_goes_to_the_office_on_workdays(session, settings, world, add_channel, outbox):
    office = world.units["cjb"]
    office.kind = "office"
    session.add(office)
    session.commit()
    channel, _ = add_channel(office, "office-group")
    add_channel(world.units["cgj"], "cgj")
    friday = MONDAY_10 + timedelta(days=4)
    run_due_jobs(session, settings, "w", friday)
    run_due_jobs(session, settings, "w", friday.replace(hour=17, minute=29))
    assert outbox(kind="daily_summary") == []
    assert "daily_summary" in run_due_jobs(session, settings, "w", friday.replace(hour=17, minute=31))
    [row] = outbox(kind="daily_summary")
    assert row.channel_id == channel.id and "2026-12-04" in row.title and "整改率" in row.body
    run_due_jobs(session, settings, "w", friday.replace(hour=23))
    assert "daily_summary" in run_due_jobs(session, settings, "w", friday + timedelta(days=1, hours=8))
    assert len(outbox(kind="daily_summary")) == 1  # Saturday: no summary


def test_two_processes_at_the_same_moment_run_a_job_once(database_url, session, settings):
    engine = create_engine(database_url)
    with Session(engine) as other:
        first = run_due_jobs(session, settings, "a", MONDAY_10)
        second = run_due_jobs(other, settings, "b", MONDAY_10)
    engine.dispose()
    assert first == ["overdue", "due_soon", "escalation"] and second == []
    runs = {j.name: j.runs for j in session.query(ScheduledJob).populate_existing()}
    assert runs == {"overdue": 1, "due_soon": 1, "daily_summary": 0, "escalation": 1, "weekly_report": 0}


@pytest.mark.skipif(not ON_POSTGRES, reason="the advisory lock is PostgreSQL's")
def test_scheduled_work_is_skipped_while_another_process_holds_the_advisory_lock(
    database_url, session, settings
):
    engine = create_engine(database_url)
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_KEY})
        assert run_due_jobs(session, settings, "w", MONDAY_10) == []
        holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
    engine.dispose()
    assert run_due_jobs(session, settings, "w", MONDAY_10) == ["overdue", "due_soon", "escalation"]


def test_the_weekly_report_goes_to_the_office_on_monday_morning(
    session, settings, world, add_channel, outbox
):
    office = world.units["cjb"]
    office.kind = "office"
    session.add(office)
    session.commit()
    channel, _ = add_channel(office, "office-group")
    monday = datetime(2026, 12, 7, 8, 0, tzinfo=TZ)
    run_due_jobs(session, settings, "w", monday)
    assert outbox(kind="weekly_report") == []
    assert "weekly_report" in run_due_jobs(session, settings, "w", monday.replace(hour=9, minute=1))
    [row] = outbox(kind="weekly_report")
    assert row.channel_id == channel.id and "2026-11-30" in row.title and "红榜" in row.body
    assert row.link.endswith("/#/score")
    run_due_jobs(session, settings, "w", monday + timedelta(days=1))
    assert len(outbox(kind="weekly_report")) == 1
