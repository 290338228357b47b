"""Device sessions: sign in, refresh (rotating, with theft detection), sign out, end a user's sessions."""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import event, update
from sqlmodel import Session, col, select

from app.config import Settings
from app.errors import NotFound, Unauthenticated
from app.models import DeviceSession, DeviceSessionPublic, TokenPair, User
from app.models.base import utcnow
from app.security import create_token, read_refresh_token, refresh_token, token_claims, token_hash

# a phone that lost the answer to its refresh may send the same refresh token again this long after, and gets
# the same new one back; later, or a token older than that, means two devices hold it: the session ends
RETRY_WINDOW = timedelta(seconds=30)
MAX_LISTED = 100

_ended_in_process = 0  # bumped after a commit that ended sessions: deps' sign-in reuse re-checks its tokens


def ended_in_process() -> int:
    return _ended_in_process


def _bump(_session: Session) -> None:
    global _ended_in_process
    _ended_in_process += 1


def _pair(row: DeviceSession, settings: Settings) -> TokenPair:
    return TokenPair(
        access_token=create_token(row.user_id, settings, session_id=row.id),
        refresh_token=refresh_token(row.id, row.generation, settings),
        expires_in=settings.access_token_minutes * 60,
    )


def _clean_agent(user_agent: str | None) -> str:
    return "".join(ch for ch in (user_agent or "") if ch.isprintable())[:200]


def start_session(session: Session, user: User, settings: Settings, user_agent: str | None) -> TokenPair:
    """A new device session for a user who has just proved who they are."""
    now = utcnow()
    sid = uuid.uuid4().hex
    row = DeviceSession(
        id=sid,
        user_id=user.id,
        refresh_hash=token_hash(refresh_token(sid, 0, settings)),
        user_agent=_clean_agent(user_agent),
        created_at=now,
        refreshed_at=now,
        expires_at=now + timedelta(days=settings.session_days),
    )
    session.add(row)
    session.commit()
    return _pair(row, settings)


def _end(session: Session, where, reason: str, now: datetime) -> None:
    """Ends the matching open sessions, in the caller's transaction; sign-in reuse forgets after its commit."""
    session.execute(
        update(DeviceSession)
        .where(where, col(DeviceSession.ended_at).is_(None))
        .values(ended_at=now, end_reason=reason)
    )
    event.listen(session, "after_commit", _bump, once=True)


def refresh(session: Session, token: str, settings: Settings) -> TokenPair:
    """A new token pair for a refresh token, which stops working. The one that came just before, sent again
    within RETRY_WINDOW, gets the same new pair; any other old one ends the session (it was copied)."""
    sid, generation = read_refresh_token(token, settings)
    now = utcnow()
    row = session.get(DeviceSession, sid)
    if row is None:
        raise Unauthenticated("invalid refresh token; sign in again")
    _check_open(session, row, now)
    rotated = session.execute(
        update(DeviceSession)
        .where(
            col(DeviceSession.id) == sid,
            col(DeviceSession.generation) == generation,
            col(DeviceSession.refresh_hash) == token_hash(token),
            col(DeviceSession.ended_at).is_(None),
        )
        .values(
            generation=generation + 1,
            refresh_hash=token_hash(refresh_token(sid, generation + 1, settings)),
            previous_hash=token_hash(token),
            refreshed_at=now,
            expires_at=now + timedelta(days=settings.session_days),
        )
    ).rowcount
    session.commit()
    session.refresh(row)
    if rotated == 1:
        return _pair(row, settings)
    _check_open(session, row, now)
    if (
        row.generation == generation + 1
        and row.previous_hash == token_hash(token)
        and now - row.refreshed_at <= RETRY_WINDOW
    ):
        return _pair(row, settings)  # a retry (or a concurrent twin) of the refresh that just won
    _end(session, col(DeviceSession.id) == sid, "reused", now)
    session.commit()
    raise Unauthenticated("this refresh token was already used, so the session is ended; sign in again")


def _check_open(session: Session, row: DeviceSession, now: datetime) -> None:
    if row.ended_at is not None:
        raise Unauthenticated("this session was ended; sign in again")
    if row.expires_at <= now:
        raise Unauthenticated("session expired; sign in again")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthenticated("this account is deactivated")


def signed_in_user(session: Session, token: str, settings: Settings) -> User:
    """The user an access token belongs to, if the token is valid, the user active and its session open."""
    user_id, sid = token_claims(token, settings)
    if sid is None:  # a token made before device sessions existed lives out its own expiry
        user = session.get(User, user_id)
    else:
        found = session.exec(
            select(User, DeviceSession.ended_at, DeviceSession.expires_at)
            .join(DeviceSession, col(DeviceSession.user_id) == col(User.id))
            .where(col(User.id) == user_id, col(DeviceSession.id) == sid)
        ).first()
        user = found[0] if found else None
        if found and (found[1] is not None or found[2] <= utcnow()):
            raise Unauthenticated("this session was ended; sign in again")
    if user is None:
        raise Unauthenticated("invalid token; sign in again")
    if not user.active:
        raise Unauthenticated("this account is deactivated")
    return user


def sign_out(session: Session, token: str, settings: Settings) -> None:
    """Ends the session the access token belongs to."""
    signed_in_user(session, token, settings)
    _user_id, sid = token_claims(token, settings)
    if sid is not None:
        _end(session, col(DeviceSession.id) == sid, "logout", utcnow())
        session.commit()


def end_user_sessions(session: Session, user_id: int, reason: str) -> None:
    """Ends every open session of a user in the caller's transaction (a lost phone, a deactivation)."""
    _end(session, col(DeviceSession.user_id) == user_id, reason, utcnow())


def end_all_sessions(session: Session, user_id: int) -> None:
    """An admin ends every session of a user: each of its devices must sign in again."""
    if session.get(User, user_id) is None:
        raise NotFound(f"no user {user_id}")
    end_user_sessions(session, user_id, "admin")
    session.commit()


def list_sessions(session: Session, user_id: int, include_ended: bool = False) -> list[DeviceSessionPublic]:
    """A user's open sessions, newest first (with include_ended, also those ended or expired)."""
    if session.get(User, user_id) is None:
        raise NotFound(f"no user {user_id}")
    now = utcnow()
    query = select(DeviceSession).where(col(DeviceSession.user_id) == user_id)
    if not include_ended:
        query = query.where(col(DeviceSession.ended_at).is_(None), col(DeviceSession.expires_at) > now)
    rows = session.exec(query.order_by(col(DeviceSession.created_at).desc()).limit(MAX_LISTED)).all()
    return [
        DeviceSessionPublic(
            **row.model_dump(exclude={"user_id", "generation", "refresh_hash", "previous_hash"}),
            active=row.ended_at is None and row.expires_at > now,
        )
        for row in rows
    ]
