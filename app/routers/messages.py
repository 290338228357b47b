"""Group-chat channels of the units, and the messages sent to them (admin)."""

from fastapi import APIRouter, Query

from app.db import SessionDep
from app.deps import AdminUser
from app.models.message import ChannelCreate, ChannelPublic, ChannelUpdate, MessagePublic
from app.services.accounts import unit_by_code
from app.services.messages import channels, outbox

router = APIRouter(prefix="/api/v1", tags=["messages"])


@router.get("/units/{code}/channels")
def list_channels(code: str, _: AdminUser, session: SessionDep) -> list[ChannelPublic]:
    return channels.list_channels(session, code)


@router.post("/units/{code}/channels", status_code=201)
def create_channel(code: str, data: ChannelCreate, _: AdminUser, session: SessionDep) -> ChannelPublic:
    return channels.create_channel(session, code, data)


@router.patch("/channels/{channel_id}")
def update_channel(channel_id: int, data: ChannelUpdate, _: AdminUser, session: SessionDep) -> ChannelPublic:
    return channels.update_channel(session, channel_id, data)


@router.post("/channels/{channel_id}/test", status_code=201)
def test_channel(channel_id: int, _: AdminUser, session: SessionDep) -> MessagePublic:
    return channels.send_test(session, channel_id)


@router.get("/messages")
def list_messages(
    _: AdminUser,
    session: SessionDep,
    status: str | None = Query(default=None, description="pending, sending, sent or failed"),
    unit: str | None = Query(default=None, description="a unit's code"),
    limit: int = Query(default=100, ge=1, le=500),
) -> list[MessagePublic]:
    unit_id = unit_by_code(session, unit).id if unit else None
    return outbox.list_messages(session, status, unit_id, limit)


@router.post("/messages/{message_id}/resend")
def resend(message_id: int, _: AdminUser, session: SessionDep) -> MessagePublic:
    return outbox.resend(session, message_id)
