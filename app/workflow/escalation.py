"""The escalation ladder (督办): an issue overdue long enough is told to its unit's leaders, then to the office.

Pure. An escalation is an event the system appends (never posted by a user), so the timeline shows it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.workflow.inputs import EventDraft
from app.workflow.states import Status

ESCALATE: Any = "escalate"  # the event's action; not in the action table: no user may take it
LEADERS, OFFICE = 1, 2
LEVEL_FLAGS = {LEADERS: "escalated_to_leaders", OFFICE: "escalated_to_office"}


@dataclass(frozen=True)
class Ladder:
    leaders_after_h: float  # working hours overdue before the unit's leaders are told (0: never)
    office_after_h: float  # and before the office is told (0: never)


def level_due(ladder: Ladder, overdue_work_hours: float) -> int:
    """The highest rung an issue this many working hours overdue has reached (0: none)."""
    if ladder.office_after_h > 0 and overdue_work_hours >= ladder.office_after_h:
        return OFFICE
    if ladder.leaders_after_h > 0 and overdue_work_hours >= ladder.leaders_after_h:
        return LEADERS
    return 0


def escalation_draft(status: Status, level: int, overdue_work_hours: float, due_at: datetime) -> EventDraft:
    """The event of one escalation: the status stays; its flag names the rung, its due_at the deadline missed."""
    who = "单位领导" if level == LEADERS else "创建办"
    note = f"超期 {overdue_work_hours:.1f} 个工作时，已督办并告知{who}"
    return EventDraft(
        action=ESCALATE,
        from_status=status,
        to_status=status,
        note=note,
        flags=(LEVEL_FLAGS[level],),
        due_at=due_at,
    )
