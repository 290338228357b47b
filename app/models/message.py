"""Messages to the units' group chats: their channels (robot webhooks), the outbox, and delivery attempts."""

from datetime import datetime

import pydantic
from pydantic import BaseModel
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow
from app.models.text import SafeText
from app.notify.platforms import ChannelKind


class Channel(SQLModel, table=True):
    """A group robot of a unit: where its messages go."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    kind: str = Field(max_length=16)  # wecom, dingtalk, feishu
    name: str = Field(max_length=100)
    audience: str = Field(default="unit", max_length=16)  # unit: its working group; leaders: its leaders
    webhook_url: str = Field(sa_column=Column(Text, nullable=False))
    secret: str | None = Field(default=None, max_length=200)
    active: bool = True
    paused_until: datetime | None = Field(
        default=None, sa_type=UTCDateTime
    )  # after the platform said "too fast"
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OutboxMessage(SQLModel, table=True):
    """One message for one channel, written in the transaction of what caused it; the worker delivers it."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_due", "status", "next_at"),
        UniqueConstraint("channel_id", "dedupe_key", name="uq_outbox_message_channel_dedupe"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True)
    kind: str = Field(max_length=32)
    issue_id: str | None = Field(default=None, foreign_key="issue.id", max_length=36, index=True)
    dedupe_key: str | None = Field(default=None, max_length=200)  # scheduled messages: once per key
    title: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    link: str | None = Field(default=None, max_length=500)
    status: str = Field(default="pending", max_length=16)  # pending, sending, sent, failed
    attempts: int = 0
    next_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=64)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    queued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)  # put in line (again, on resend)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DeliveryAttempt(SQLModel, table=True):
    """Each POST to a robot: its outcome, and the per-channel rate limit counts them."""

    __tablename__ = "delivery_attempt"
    __table_args__ = (Index("ix_delivery_attempt_channel_at", "channel_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outbox_message.id", index=True)
    channel_id: int = Field(foreign_key="channel.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ok: bool = False
    error: str | None = Field(default=None, max_length=500)


class ScheduledJob(SQLModel, table=True):
    """A periodic job of the worker (scans, summaries): when it runs next, so that it runs once per period."""

    __tablename__ = "scheduled_job"

    name: str = Field(primary_key=True, max_length=64)
    next_run_at: datetime = Field(sa_type=UTCDateTime)
    last_run_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_run_by: str | None = Field(default=None, max_length=64)
    runs: int = 0


# -- API schemas


class ChannelCreate(BaseModel):
    kind: ChannelKind
    name: SafeText = pydantic.Field(min_length=1, max_length=100)
    webhook_url: SafeText = pydantic.Field(min_length=8, max_length=500, pattern=r"^https?://\S+$")
    secret: SafeText | None = pydantic.Field(default=None, min_length=1, max_length=200)
    audience: SafeText = pydantic.Field(default="unit", pattern="^(unit|leaders)$")


class ChannelUpdate(BaseModel):
    name: SafeText | None = pydantic.Field(default=None, min_length=1, max_length=100)
    webhook_url: SafeText | None = pydantic.Field(
        default=None, min_length=8, max_length=500, pattern=r"^https?://\S+$"
    )
    secret: SafeText | None = pydantic.Field(default=None, max_length=200)  # "" removes it
    audience: SafeText | None = pydantic.Field(default=None, pattern="^(unit|leaders)$")
    active: bool | None = None


class ChannelPublic(BaseModel):
    id: int
    unit: str
    kind: ChannelKind
    name: str
    audience: str
    webhook_url: str  # its key or token masked
    has_secret: bool
    active: bool
    created_at: datetime


class MessagePublic(BaseModel):
    id: int
    channel_id: int
    channel_name: str
    unit: str
    kind: str
    issue_id: str | None
    title: str
    body: str
    link: str | None
    status: str
    attempts: int
    next_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
