"""Password hashing (argon2 via pwdlib) and access tokens (JWT, HS256)."""

from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash

from app.config import Settings
from app.errors import Unauthenticated

_hasher = PasswordHash.recommended()
ALGORITHM = "HS256"
# verified against when a user is unknown, so a wrong username costs as long as a wrong password
_DUMMY_HASH = _hasher.hash("xuncha-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, password_hash)


def create_token(user_id: int, settings: Settings, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(minutes=settings.token_ttl_minutes)}
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def read_token(token: str, settings: Settings) -> int:
    """The user id a token names; Unauthenticated if it is expired, forged or malformed."""
    try:
        claims = jwt.decode(
            token, settings.secret_key, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
        return int(claims["sub"])
    except jwt.ExpiredSignatureError as e:
        raise Unauthenticated("token expired; sign in again") from e
    except (jwt.InvalidTokenError, ValueError) as e:
        raise Unauthenticated("invalid token; sign in again") from e
