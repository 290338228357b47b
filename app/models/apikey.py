"""API keys for Open311 clients that post requests, and what those clients sent beside the issue itself."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    key_hash: str = Field(max_length=64, unique=True)  # sha256 of the key
    user_id: int = Field(foreign_key="user.id")  # who the requests are reported as
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Open311Request(SQLModel, table=True):
    """An issue that came in through Open311 POST: the key it came with and the client's own fields.

    The contact fields are kept for the office to call back; no GET ever shows them.
    """

    __tablename__ = "open311_request"

    issue_id: str = Field(foreign_key="issue.id", primary_key=True, max_length=36)
    api_key_id: int = Field(foreign_key="api_key.id", index=True)
    media_url: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    address_string: str | None = Field(default=None, max_length=500)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=64)
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    device_id: str | None = Field(default=None, max_length=200)
    account_id: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
