"""Password hashing (argon2 via pwdlib), access tokens (JWT, HS256) and refresh tokens (HMAC-SHA256)."""

import base64
import hashlib
import hmac
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


def create_token(
    user_id: int, settings: Settings, now: datetime | None = None, session_id: str | None = None
) -> str:
    """An access token for a user, naming its device session (`sid`) when it has one."""
    now = now or datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(minutes=settings.access_token_minutes)}
    if session_id:
        claims["sid"] = session_id
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def token_claims(token: str, settings: Settings) -> tuple[int, str | None]:
    """The user id and device session id a token names; Unauthenticated if it is expired, forged or malformed."""
    try:
        claims = jwt.decode(
            token, settings.secret_key, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
        sid = claims.get("sid")
        user_id = int(claims["sub"])
        if not 0 < user_id < 2**63:  # a forged subject no database could hold
            raise ValueError("subject out of range")
        return user_id, str(sid) if sid is not None else None
    except jwt.ExpiredSignatureError as e:
        raise Unauthenticated("token expired; sign in again") from e
    except (jwt.InvalidTokenError, ValueError) as e:
        raise Unauthenticated("invalid token; sign in again") from e


def read_token(token: str, settings: Settings) -> int:
    """The user id a token names; Unauthenticated if it is expired, forged or malformed."""
    return token_claims(token, settings)[0]


def refresh_token(session_id: str, generation: int, settings: Settings) -> str:
    """The refresh token of a session's generation: `sid.generation.mac`, derived, never stored. Being derived,
    the same one can be answered again to a phone that retries a refresh whose answer it lost."""
    body = f"{session_id}.{generation}"
    mac = hmac.new(settings.secret_key.encode(), f"refresh:{body}".encode(), hashlib.sha256).digest()
    return f"{body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def read_refresh_token(token: str, settings: Settings) -> tuple[str, int]:
    """The session id and generation of a refresh token this server made; Unauthenticated otherwise."""
    parts = token.split(".")
    if len(parts) == 3 and parts[1].isdigit() and len(parts[1]) < 10:
        sid, generation = parts[0], int(parts[1])
        if hmac.compare_digest(token.encode(), refresh_token(sid, generation, settings).encode()):
            return sid, generation
    raise Unauthenticated("invalid refresh token; sign in again")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
