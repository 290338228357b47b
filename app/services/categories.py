"""The category catalogue."""

from sqlmodel import Session, select

from app.config import Settings
from app.errors import InvalidInput
from app.models import Category, CategoryPublic, DeadlineUnit
from app.workflow.deadlines import WorkCalendar


def deadline_hours(category: Category, settings: Settings) -> float:
    """The deadline in hours: working hours for work_* units, a working day counted as its length."""
    if category.deadline_unit == DeadlineUnit.work_days:
        return category.deadline_value * WorkCalendar.from_settings(settings).day_hours
    return float(category.deadline_value)


def list_categories(session: Session, settings: Settings) -> list[CategoryPublic]:
    rows = session.exec(
        select(Category).where(Category.active).order_by(Category.sort_order, Category.code)
    ).all()
    return [
        CategoryPublic(
            code=c.code,
            name=c.name,
            group=c.group,
            deadline_hours=deadline_hours(c, settings),
            deadline_value=c.deadline_value,
            deadline_unit=c.deadline_unit,
        )
        for c in rows
    ]


def get_category(session: Session, code: str) -> Category:
    category = session.get(Category, code)
    if category is None or not category.active:
        raise InvalidInput(f"unknown category {code!r}; GET /api/v1/categories lists them")
    return category
