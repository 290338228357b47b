"""Request dependencies: the current user and the role rule, enforced in one place."""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated

import anyio
from fastapi import Depends, Form, Query, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from app.config import Settings, get_settings
from app.db import SessionDep, get_engine, new_session
from app.errors import InvalidInput, PermissionDenied, TooManyRequests, Unauthenticated
from app.models import OFFICE_ROLES, Role, User
from app.models.text import SafeText, control_character
from app.services import sessions
from app.services.issues.query import IssueFilters, parse_issue_filters
from app.services.throttle import SignInThrottle
from app.storage import PhotoStore, get_photo_store

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
SettingsDep = Annotated[Settings, Depends(get_settings)]


def photo_store(settings: SettingsDep) -> PhotoStore:
    """Where photo files live; a test may override it (app.dependency_overrides[photo_store])."""
    return get_photo_store(settings)


PhotoStoreDep = Annotated[PhotoStore, Depends(photo_store)]


def plain_text_request(request: Request) -> None:
    """Every route: a path or query parameter holding a control character is refused (422 naming it) before
    any other dependency reads it (PostgreSQL cannot even compare a string holding NUL)."""
    for name, value in (("path", request.url.path), *request.query_params.multi_items()):
        bad = control_character(value) or control_character(name)
        if bad:
            where = name if not control_character(name) else "a query parameter's name"
            raise InvalidInput(f"{where}: control character {bad} is not allowed (only tab and newline are)")


def current_user(session: SessionDep, settings: SettingsDep, token: str | None = Depends(oauth2)) -> User:
    if not token:
        raise Unauthenticated("not signed in: send Authorization: Bearer <token>")
    return sessions.signed_in_user(session, token, settings)


CurrentUser = Annotated[User, Depends(current_user)]


AUTH_REUSE_S = 5.0  # how long GET /locate trusts a token it has seen belong to an active user
_recent_users: dict[tuple[str, str], tuple[float, int, User]] = {}


def _sign_in(token: str | None) -> User:
    with new_session() as session:
        return current_user(session, get_settings(), token)


async def recent_user(token: Annotated[str | None, Depends(oauth2)]) -> User:
    """CurrentUser for a hot, read-only path: the same rules (deps.current_user), but a token seen valid in the
    last AUTH_REUSE_S seconds is not looked up again, so such a request waits on no thread and no query. Once
    this process has ended any session (sign-out, an admin, a deactivation) every token is looked up afresh; a
    session ended by another server process can still locate points here for those few seconds."""
    key = (str(get_engine().url), token or "")
    now = time.monotonic()
    ended = sessions.ended_in_process()
    seen = _recent_users.get(key)
    if seen and seen[0] > now and seen[1] == ended:
        return seen[2]
    user = await run_in_threadpool(_sign_in, token)
    if len(_recent_users) >= 10_000:
        _recent_users.clear()
    _recent_users[key] = (now + AUTH_REUSE_S, ended, user)
    return user


RecentUser = Annotated[User, Depends(recent_user)]


async def signed_in_user(token: Annotated[str | None, Depends(oauth2)]) -> User:
    """CurrentUser by a session closed before the route goes on: for a route that then streams a body."""
    return await run_in_threadpool(_sign_in, token)


SignedInUser = Annotated[User, Depends(signed_in_user)]


def require_role(*roles: Role) -> Callable[[User], User]:
    """A dependency that lets through only users of these roles (admin may always do what office may)."""
    allowed = set(roles) | (OFFICE_ROLES if Role.office in roles else set())

    def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise PermissionDenied(f"this needs the role {' or '.join(sorted(allowed))}; you are {user.role}")
        return user

    return check


def issue_filters(
    session: SessionDep,
    status: str | None = Query(default=None, description="a status, or a comma list of them"),
    unit: str | None = Query(default=None, description="the responsible unit's code"),
    category: str | None = Query(default=None, description="a category code, or a comma list"),
    zone: str | None = Query(default=None, description="a zone code, or layer:code"),
    overdue: bool | None = None,
    bbox: str | None = Query(default=None, description="west,south,east,north in WGS-84 degrees"),
) -> IssueFilters:
    """The issue list's filters (GET /issues, and the exports of that list), checked and resolved."""
    return parse_issue_filters(session, status, unit, category, zone, overdue, bbox)


IssueFiltersDep = Annotated[IssueFilters, Depends(issue_filters)]
AdminUser = Annotated[User, Depends(require_role(Role.admin))]
OfficeUser = Annotated[User, Depends(require_role(Role.office))]


HASH_WAIT_S = 10.0  # a sign-in waits this long for a turn at hashing, then is told to come back
_throttles: dict[tuple, SignInThrottle] = {}
_hash_turns: dict[tuple[int, int], anyio.Semaphore] = {}


def _throttle(settings: Settings) -> SignInThrottle:
    key = (settings.signin_window_s, settings.signin_max_failures_user, settings.signin_max_failures_address)
    if key not in _throttles:
        _throttles[key] = SignInThrottle(*key)
    return _throttles[key]


def _hash_turn(settings: Settings) -> anyio.Semaphore:
    key = (settings.max_password_hashes, id(asyncio.get_running_loop()))
    if key not in _hash_turns:
        _hash_turns[key] = anyio.Semaphore(settings.max_password_hashes)
    return _hash_turns[key]


async def sign_in_attempt(
    request: Request, settings: SettingsDep, username: Annotated[SafeText, Form(max_length=128)]
) -> AsyncIterator[None]:
    """Around a password check: refused (429) while the username or the address has failed too often; at
    most XUNCHA_MAX_PASSWORD_HASHES checks at once; a failure (401) counted, a success forgiving the name."""
    throttle = _throttle(settings)
    address = request.client.host if request.client else "-"
    began = throttle.begin(username, address)  # counted as a failure until it succeeds
    turn = _hash_turn(settings)
    try:
        with anyio.fail_after(HASH_WAIT_S):
            await turn.acquire()
    except TimeoutError as e:
        raise TooManyRequests("too many sign-ins at once; try again in a moment", retry_after=2) from e
    try:
        yield
    except Unauthenticated:
        raise
    else:
        throttle.succeeded(username, address, began)
    finally:
        turn.release()


SignInAttempt = Annotated[None, Depends(sign_in_attempt)]
