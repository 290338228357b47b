"""The live feed: Server-Sent Events of issue events for the dashboard."""

from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.db import new_session
from app.deps import SettingsDep
from app.services import feed

router = APIRouter(prefix="/api/v1", tags=["events"])


def _check(settings, token: str | None):
    # a short session of its own: the stream lasts hours and must not hold a pooled connection
    with new_session() as session:
        return feed.open_stream(session, settings, token)


@router.get("/events/stream", response_class=StreamingResponse)
async def stream(
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
    access_token: Annotated[
        str | None, Query(description="for EventSource, which cannot send headers")
    ] = None,
) -> StreamingResponse:
    """text/event-stream: `data: {...}` per issue event, `: heartbeat` comments while idle; an `end` event
    closes it when the token expires or the user is deactivated."""
    token = access_token
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    accepts = await run_in_threadpool(_check, settings, token)
    return StreamingResponse(
        feed.sse_stream(accepts, settings, feed.still_signed_in(settings, token or "")),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
