"""Api keys for Open311 clients that post requests.

A key is shown once, when made (`xuncha api-key create NAME`); only its sha256 is stored. Each key reports
as its own user (or one named), so the issue list and the events say which client a report came from.
"""

import hashlib
import secrets

from sqlalchemy import select
from sqlmodel import Session

from app.errors import InvalidInput, PermissionDenied
from app.models import ApiKey, Role, User
from app.security import hash_password

KEY_PREFIX = "x311_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(session: Session, name: str, username: str | None = None) -> tuple[ApiKey, str]:
    """A new key for a client named `name`; returns (the row, the key itself, which is never stored)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("name: between 1 and 100 characters")
    if username:
        user = session.execute(select(User).where(User.username == username)).scalar()
        if user is None:
            raise InvalidInput(f"unknown user {username!r}")
    else:
        user = User(
            username=f"open311.{secrets.token_hex(4)}",
            display_name=f"Open311: {name}",
            role=Role.grid_worker,
            password_hash=hash_password(secrets.token_urlsafe(32)),  # nobody signs in as a client
        )
        session.add(user)
        session.flush()
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(name=name, key_hash=hash_key(key), user_id=user.id)
    session.add(row)
    session.commit()
    return row, key


def reporter_for_key(session: Session, key: str | None) -> tuple[ApiKey, User]:
    """The key's row and the user it reports as; PermissionDenied (403) for a missing or unknown key."""
    if not key:
        raise PermissionDenied("api_key: required to post a service request")
    row = session.execute(select(ApiKey).where(ApiKey.key_hash == hash_key(key.strip()))).scalar()
    user = session.get(User, row.user_id) if row is not None and row.active else None
    if row is None or user is None or not user.active:
        raise PermissionDenied("api_key: not a valid key")
    return row, user
