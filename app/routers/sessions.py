"""Device sessions: refresh, sign out, and an admin ending a user's sessions (a lost phone)."""

from fastapi import APIRouter, Depends, Response

from app.db import SessionDep
from app.deps import AdminUser, SettingsDep, oauth2
from app.errors import Unauthenticated
from app.models import DeviceSessionPublic, RefreshRequest, TokenPair
from app.services import sessions

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/refresh")
def refresh(data: RefreshRequest, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """A new access token and refresh token; the refresh token sent stops working."""
    return sessions.refresh(session, data.refresh_token, settings)


@router.post("/auth/logout", status_code=204)
def logout(session: SessionDep, settings: SettingsDep, token: str | None = Depends(oauth2)) -> Response:
    """Ends this device's session: its access and refresh tokens stop working."""
    if not token:
        raise Unauthenticated("not signed in: send Authorization: Bearer <token>")
    sessions.sign_out(session, token, settings)
    return Response(status_code=204)


@router.get("/users/{user_id}/sessions")
def list_sessions(
    user_id: int, _: AdminUser, session: SessionDep, include_ended: bool = False
) -> list[DeviceSessionPublic]:
    return sessions.list_sessions(session, user_id, include_ended)


@router.delete("/users/{user_id}/sessions", status_code=204)
def end_sessions(user_id: int, _: AdminUser, session: SessionDep) -> Response:
    """Ends every session of the user (a lost phone): each device must sign in again."""
    sessions.end_all_sessions(session, user_id)
    return Response(status_code=204)
