"""Request dependencies: the current user and the role rule, enforced in one place."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from app.config import Settings, get_settings
from app.db import SessionDep
from app.errors import PermissionDenied, Unauthenticated
from app.models import Role, User
from app.security import read_token

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
SettingsDep = Annotated[Settings, Depends(get_settings)]


def current_user(session: SessionDep, settings: SettingsDep, token: str | None = Depends(oauth2)) -> User:
    if not token:
        raise Unauthenticated("not signed in: send Authorization: Bearer <token>")
    user = session.get(User, read_token(token, settings))
    if user is None:
        raise Unauthenticated("invalid token; sign in again")
    if not user.active:
        raise Unauthenticated("this account is deactivated")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[User], User]:
    """A dependency that lets through only users of these roles (admin may always do what office may)."""
    allowed = set(roles) | ({Role.admin} if Role.office in roles else set())

    def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise PermissionDenied(f"this needs the role {' or '.join(sorted(allowed))}; you are {user.role}")
        return user

    return check


AdminUser = Annotated[User, Depends(require_role(Role.admin))]
OfficeUser = Annotated[User, Depends(require_role(Role.office))]
