"""Units and users: create, update, deactivate, authenticate."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from app.models import (
    Role,
    Unit,
    UnitCreate,
    UnitPublic,
    UnitUpdate,
    User,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from app.security import hash_password, verify_password
from app.services.sessions import end_user_sessions
from app.workflow.states import UNIT_BOUND_ROLES


def unit_by_code(session: Session, code: str) -> Unit:
    unit = session.exec(select(Unit).where(Unit.code == code)).first()
    if unit is None:
        raise InvalidInput(f"unknown unit {code!r}")
    return unit


def unit_public(session: Session, unit: Unit) -> UnitPublic:
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    return UnitPublic(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        parent=parent.code if parent else None,
        active=unit.active,
    )


def list_units(session: Session) -> list[UnitPublic]:
    units = session.exec(select(Unit).order_by(Unit.code)).all()
    codes = {u.id: u.code for u in units}
    return [
        UnitPublic(code=u.code, name=u.name, kind=u.kind, parent=codes.get(u.parent_id), active=u.active)
        for u in units
    ]


def _commit_unique(session: Session, taken: str) -> None:
    """Commits; a concurrent request that took the same code or name first makes this a Conflict (409)."""
    try:
        session.commit()
    except IntegrityError as e:
        session.rollback()
        raise Conflict(taken) from e


def create_unit(session: Session, data: UnitCreate) -> Unit:
    if session.exec(select(Unit).where(Unit.code == data.code)).first():
        raise Conflict(f"unit {data.code!r} already exists")
    parent_id = unit_by_code(session, data.parent).id if data.parent else None
    unit = Unit(code=data.code, name=data.name, kind=data.kind, parent_id=parent_id)
    session.add(unit)
    _commit_unique(session, f"unit {data.code!r} already exists")
    return unit


def update_unit(session: Session, code: str, data: UnitUpdate) -> Unit:
    unit = session.exec(select(Unit).where(Unit.code == code)).first()
    if unit is None:
        raise NotFound(f"no unit {code!r}")
    changes = data.model_dump(exclude_unset=True)
    if "parent" in changes:
        parent = unit_by_code(session, changes.pop("parent")) if data.parent else None
        if parent and parent.id == unit.id:
            raise InvalidInput("a unit cannot be its own parent")
        unit.parent_id = parent.id if parent else None
    for key, value in changes.items():
        if value is not None:
            setattr(unit, key, value)
    session.add(unit)
    session.commit()
    return unit


def user_public(session: Session, user: User) -> UserPublic:
    unit = session.get(Unit, user.unit_id) if user.unit_id else None
    return UserPublic(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        phone=user.phone,
        role=user.role,
        unit=unit.code if unit else None,
        unit_name=unit.name if unit else None,
        active=user.active,
    )


def list_users(session: Session) -> list[UserPublic]:
    return [user_public(session, u) for u in session.exec(select(User).order_by(User.username)).all()]


def _check_unit_for_role(role: Role, unit: Unit | None) -> None:
    if role in UNIT_BOUND_ROLES and unit is None:
        raise InvalidInput(f"a {role} user needs a unit")


def create_user(session: Session, data: UserCreate) -> User:
    if session.exec(select(User).where(User.username == data.username)).first():
        raise Conflict(f"username {data.username!r} is taken")
    unit = unit_by_code(session, data.unit) if data.unit else None
    _check_unit_for_role(data.role, unit)
    user = User(
        username=data.username,
        display_name=data.display_name or data.username,
        phone=data.phone,
        role=data.role,
        unit_id=unit.id if unit else None,
        password_hash=hash_password(data.password),
    )
    session.add(user)
    _commit_unique(session, f"username {data.username!r} is taken")
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def update_user(session: Session, user_id: int, data: UserUpdate) -> User:
    user = get_user(session, user_id)
    changes = data.model_dump(exclude_unset=True)
    if "unit" in changes:
        changes.pop("unit")
        user.unit_id = unit_by_code(session, data.unit).id if data.unit else None
    if changes.get("password"):
        user.password_hash = hash_password(changes.pop("password"))
    for key, value in changes.items():
        if value is not None:
            setattr(user, key, value)
    _check_unit_for_role(Role(user.role), session.get(Unit, user.unit_id) if user.unit_id else None)
    session.add(user)
    if not user.active:
        end_user_sessions(session, user.id, "deactivated")
    session.commit()
    return user


def deactivate_user(session: Session, user_id: int) -> User:
    """Users are never deleted (their events name them); a deactivated one can no longer sign in."""
    user = get_user(session, user_id)
    user.active = False
    session.add(user)
    end_user_sessions(session, user.id, "deactivated")
    session.commit()
    return user


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if not verify_password(password, user.password_hash if user else None) or user is None:
        raise Unauthenticated("wrong username or password")
    if not user.active:
        raise Unauthenticated("this account is deactivated")
    return user
