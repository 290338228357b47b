"""Admin: units and users."""

from fastapi import APIRouter, Response

from app.db import SessionDep
from app.deps import AdminUser, OfficeUser
from app.models import UnitCreate, UnitPublic, UnitUpdate, UserCreate, UserPublic, UserUpdate
from app.services import accounts

router = APIRouter(prefix="/api/v1", tags=["admin"])


@router.get("/units")
def list_units(_: OfficeUser, session: SessionDep) -> list[UnitPublic]:
    return accounts.list_units(session)


@router.post("/units", status_code=201)
def create_unit(data: UnitCreate, _: AdminUser, session: SessionDep) -> UnitPublic:
    return accounts.unit_public(session, accounts.create_unit(session, data))


@router.patch("/units/{code}")
def update_unit(code: str, data: UnitUpdate, _: AdminUser, session: SessionDep) -> UnitPublic:
    return accounts.unit_public(session, accounts.update_unit(session, code, data))


@router.get("/users")
def list_users(_: AdminUser, session: SessionDep) -> list[UserPublic]:
    return accounts.list_users(session)


@router.post("/users", status_code=201)
def create_user(data: UserCreate, _: AdminUser, session: SessionDep) -> UserPublic:
    return accounts.user_public(session, accounts.create_user(session, data))


@router.get("/users/{user_id}")
def get_user(user_id: int, _: AdminUser, session: SessionDep) -> UserPublic:
    return accounts.user_public(session, accounts.get_user(session, user_id))


@router.patch("/users/{user_id}")
def update_user(user_id: int, data: UserUpdate, _: AdminUser, session: SessionDep) -> UserPublic:
    return accounts.user_public(session, accounts.update_user(session, user_id, data))


@router.delete("/users/{user_id}", status_code=204)
def deactivate_user(user_id: int, _: AdminUser, session: SessionDep) -> Response:
    """Deactivates: a user is never deleted, since the events they took part in name them."""
    accounts.deactivate_user(session, user_id)
    return Response(status_code=204)
