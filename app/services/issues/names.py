"""The names a page of issues shows (users, units, categories), each table read once per page."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Row, select
from sqlmodel import Session

from app.models import Category, Unit, User


@dataclass(frozen=True)
class Names:
    users: dict[int, Row]
    units: dict[int, Row]
    categories: dict[str, str]

    def username(self, user_id: int) -> str:
        user = self.users.get(user_id)
        return user.username if user else str(user_id)

    def display_name(self, user_id: int) -> str:
        user = self.users.get(user_id)
        return (user.display_name or user.username) if user else ""

    def unit_code(self, unit_id: int | None) -> str | None:
        unit = self.units.get(unit_id) if unit_id is not None else None
        return unit.code if unit else None

    def unit_name(self, unit_id: int | None) -> str | None:
        unit = self.units.get(unit_id) if unit_id is not None else None
        return unit.name if unit else None


def load_names(
    session: Session, user_ids: Iterable[int], unit_ids: Iterable[int | None], categories: Iterable[str]
) -> Names:
    """One query per table for every name a page needs."""
    wanted_units = {u for u in unit_ids if u is not None}
    users = {
        u.id: u
        for u in session.execute(
            select(User.id, User.username, User.display_name).where(User.id.in_(set(user_ids)))
        )
    }
    units = {
        u.id: u
        for u in session.execute(select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(wanted_units)))
    }
    names = {
        code: name
        for code, name in session.execute(
            select(Category.code, Category.name).where(Category.code.in_(set(categories)))
        )
    }
    return Names(users, units, names)
