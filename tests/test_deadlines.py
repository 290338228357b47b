from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.config import Settings
from app.workflow.deadlines import WorkCalendar, parse_periods

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def cal():
    return WorkCalendar.from_settings(Settings(), holidays=[date(2026, 10, 1)], workdays=[date(2026, 10, 10)])


def at(*args):
    return datetime(*args, tzinfo=SH)


def test_working_hours_skip_lunch_and_night(cal):
    # Wed 11:00 + 4 working hours: 1 h to noon, 3 h from 13:30 -> 16:30
    assert cal.due_at(at(2026, 11, 25, 11, 0), 4, "work_hours") == at(2026, 11, 25, 16, 30)
    # Wed 16:30 + 2 working hours: 1 h today, 1 h tomorrow from 08:30 -> 09:30
    assert cal.due_at(at(2026, 11, 25, 16, 30), 2, "work_hours") == at(2026, 11, 26, 9, 30)


def test_weekend_and_night_start_counts_from_next_morning(cal):
    # Fri 20:00 + 1 working hour -> Mon 09:30
    assert cal.due_at(at(2026, 11, 27, 20, 0), 1, "work_hours") == at(2026, 11, 30, 9, 30)


def test_working_days_and_plain_hours(cal):
    assert cal.day_hours == 7.5
    assert cal.due_at(at(2026, 11, 25, 9, 0), 2, "work_days") == at(2026, 11, 27, 9, 0)
    assert cal.due_at(at(2026, 11, 28, 9, 0), 4, "hours") == at(2026, 11, 28, 13, 0)


def test_holidays_and_make_up_workdays(cal):
    # 2026-10-01 (Thu) is a holiday: Wed 17:00 + 1 h -> 30 min Wed, then Fri 09:00
    assert cal.due_at(at(2026, 9, 30, 17, 0), 1, "work_hours") == at(2026, 10, 2, 9, 0)
    # 2026-10-10 is a Saturday made a workday
    assert cal.due_at(at(2026, 10, 9, 17, 0), 1, "work_hours") == at(2026, 10, 10, 9, 0)


def test_result_keeps_the_callers_zone(cal):
    start = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
    assert cal.due_at(start, 4, "work_hours") == datetime(2026, 11, 25, 8, 30, tzinfo=UTC)


def test_bad_periods_are_refused():
    with pytest.raises(ValueError):
        parse_periods("12:00-08:00")
    with pytest.raises(ValueError):
        parse_periods("08:00-12:00,11:00-13:00")
