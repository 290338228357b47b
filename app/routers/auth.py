"""Sign-in and the current user."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from app.db import SessionDep
from app.deps import CurrentUser, SettingsDep
from app.models import UserPublic
from app.security import create_token
from app.services import accounts

router = APIRouter(prefix="/api/v1", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post("/auth/token")
def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, settings: SettingsDep
) -> Token:
    user = accounts.authenticate(session, form.username, form.password)
    return Token(access_token=create_token(user.id, settings))


@router.get("/me")
def me(user: CurrentUser, session: SessionDep) -> UserPublic:
    return accounts.user_public(session, user)
