"""Device sessions: one per sign-in on a phone or browser, kept alive by rotating refresh tokens."""

from datetime import datetime

import pydantic
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow
from app.models.text import SafeText


class DeviceSession(SQLModel, table=True):
    """A sign-in. Access tokens name it (claim `sid`); ended, none of them is accepted any more."""

    __tablename__ = "device_session"

    id: str = Field(primary_key=True, max_length=32)  # uuid4 hex
    user_id: int = Field(foreign_key="user.id", index=True)
    generation: int = 0  # how often its refresh token has rotated
    refresh_hash: str = Field(max_length=64)  # sha256 of the current refresh token; the token is never kept
    previous_hash: str | None = Field(default=None, max_length=64)  # of the one it replaced
    user_agent: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    refreshed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)  # idle end: pushed on by each refresh
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    end_reason: str | None = Field(default=None, max_length=16)


class TokenPair(BaseModel):
    access_token: str
    token_type: str = "bearer"
    refresh_token: str
    expires_in: int  # seconds the access token lasts


class RefreshRequest(BaseModel):
    refresh_token: SafeText = pydantic.Field(max_length=4096)


class DeviceSessionPublic(BaseModel):
    id: str
    user_agent: str
    created_at: datetime
    refreshed_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    end_reason: str | None  # logout, admin, deactivated, reused (a refresh token used twice)
    active: bool
