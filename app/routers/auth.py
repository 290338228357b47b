"""Sign-in and the current user."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from app.db import SessionDep
from app.deps import CurrentUser, SettingsDep, SignInAttempt
from app.models import TokenPair, UserPublic
from app.services import accounts, sessions

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/token")
def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    _throttled: SignInAttempt,
) -> TokenPair:
    """Signs in: a new device session, its access token and its refresh token."""
    user = accounts.authenticate(session, form.username, form.password)
    return sessions.start_session(session, user, settings, request.headers.get("user-agent"))


@router.get("/me")
def me(user: CurrentUser, session: SessionDep) -> UserPublic:
    return accounts.user_public(session, user)
