"""The live feed of issue events: announced inside the writing transaction, delivered after it commits.

PostgreSQL: notify() runs `SELECT pg_notify(...)` in the writer's transaction, so the server delivers it
only if that transaction commits, to every process LISTENing; each server process runs one LISTEN task
(while it has subscribers) that hands what arrives to its in-process subscribers.
SQLite: notify() queues the payload on the session; an after-commit hook hands it to this process's
subscribers (a rollback drops it). One process is the SQLite deployment, so that is everyone.
"""

import asyncio
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

import anyio
import psycopg
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.config import Settings
from app.db import new_session
from app.errors import PermissionDenied, Unauthenticated
from app.models import OFFICE_ROLES, Role, Unit, User
from app.services.sessions import signed_in_user

log = logging.getLogger("xuncha.feed")

CHANNEL = "xuncha_events"
MAX_PAYLOAD_BYTES = 7900  # PostgreSQL refuses NOTIFY payloads of 8000 bytes or more
QUEUE_SIZE = 1000  # a subscriber this far behind loses events rather than holding memory
_PENDING = "xuncha_feed_pending"


def _encode(payload: dict) -> str:
    data = json.dumps(payload, ensure_ascii=False, default=str, separators=(",", ":"))
    if len(data.encode()) > MAX_PAYLOAD_BYTES and "note" in payload:
        # a long note is the only thing that can overflow; the client fetches the issue for the rest
        return _encode({**payload, "note": str(payload["note"])[:200] + "…"})
    if len(data.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError("a feed payload must stay under 7900 bytes; send ids, not documents")
    return data


def notify(session: Session, payload: dict) -> None:
    """Announce an event; call before the commit of the transaction that wrote it (delivery comes later)."""
    data = _encode(payload)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": data})
        return
    if _PENDING not in session.info:
        session.info[_PENDING] = []
        event.listen(session, "after_commit", _deliver_pending)
        event.listen(session, "after_rollback", _drop_pending)
    session.info[_PENDING].append(data)


def _deliver_pending(session: Session) -> None:
    pending, session.info[_PENDING] = session.info.get(_PENDING, []), []
    for data in pending:
        broker.publish(data)


def _drop_pending(session: Session) -> None:
    session.info[_PENDING] = []


@dataclass(eq=False)
class Subscription:
    """One open stream: its own queue on its own event loop, and what it may see."""

    accepts: Callable[[dict], bool]
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    dropped: int = 0

    def offer(self, data: str) -> None:
        try:
            self.queue.put_nowait(data)
        except asyncio.QueueFull:
            self.dropped += 1


class Broker:
    """This process's subscribers, and (on PostgreSQL) the LISTEN task that feeds them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: set[Subscription] = set()
        self._listeners: dict[asyncio.AbstractEventLoop, tuple[asyncio.Task, asyncio.Event]] = {}

    def publish(self, data: str) -> None:
        """Hand one payload to every subscriber that may see it; safe from any thread."""
        try:
            payload = json.loads(data)
        except ValueError:
            log.warning("dropped a feed payload that is not JSON")
            return
        with self._lock:
            subs = list(self._subs)
        for sub in subs:
            if sub.accepts(payload):
                with suppress(RuntimeError):  # its loop has closed: the stream is gone
                    sub.loop.call_soon_threadsafe(sub.offer, data)

    @asynccontextmanager
    async def subscribe(
        self, accepts: Callable[[dict], bool], database_url: str | None = None
    ) -> AsyncIterator[Subscription]:
        """A subscription for as long as the block runs; on PostgreSQL, returns once LISTEN is in place."""
        loop = asyncio.get_running_loop()
        sub = Subscription(accepts=accepts, loop=loop)
        with self._lock:
            self._subs.add(sub)
        try:
            if database_url and database_url.startswith("postgresql"):
                await self._ensure_listener(loop, database_url)
            yield sub
        finally:
            with self._lock:
                self._subs.discard(sub)
                idle = not any(s.loop is loop for s in self._subs)
            if idle:
                self._stop_listener(loop)

    async def _ensure_listener(self, loop: asyncio.AbstractEventLoop, database_url: str) -> None:
        entry = self._listeners.get(loop)
        if entry is None or entry[0].done():
            ready = asyncio.Event()
            task = loop.create_task(self._listen(database_url, ready), name="xuncha-feed-listen")
            entry = self._listeners[loop] = (task, ready)
        task, ready = entry
        waiter = asyncio.ensure_future(ready.wait())
        await asyncio.wait({waiter, task}, return_when=asyncio.FIRST_COMPLETED)
        if not ready.is_set():
            waiter.cancel()
            task.result()  # raises why the listener could not start

    def _stop_listener(self, loop: asyncio.AbstractEventLoop) -> None:
        entry = self._listeners.pop(loop, None)
        if entry is not None:
            entry[0].cancel()

    async def _listen(self, database_url: str, ready: asyncio.Event) -> None:
        """LISTEN on the channel and publish what arrives; reconnect (and tell clients to resync) on loss."""
        conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    if ready.is_set():  # a reconnection: whatever was sent meanwhile is lost
                        self.publish(json.dumps({"type": "resync"}))
                    ready.set()
                    delay = 0.5
                    async for note in conn.notifies():
                        self.publish(note.payload)
            except psycopg.OperationalError as e:
                if not ready.is_set() and delay > 4:
                    raise
                log.warning("feed LISTEN connection lost (%s); retrying in %.1fs", e, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)


broker = Broker()


def stream_filter(user: User, unit_code: str | None) -> Callable[[dict], bool]:
    """What a user's stream carries: everything for the office, its own unit's issues for a unit."""
    if user.role in OFFICE_ROLES:
        return lambda payload: True
    if user.role == Role.unit and unit_code:
        return lambda payload: unit_code in (payload.get("unit"), payload.get("proposed_unit"))
    raise PermissionDenied("the live feed is for the office and for units; you are " + str(user.role))


def open_stream(session: Session, settings: Settings, token: str | None) -> Callable[[dict], bool]:
    """Checks the token (from the header, or ?access_token= for EventSource) and returns the stream filter."""
    if not token:
        raise Unauthenticated("not signed in: send Authorization: Bearer <token> or ?access_token=<token>")
    user = signed_in_user(session, token, settings)
    unit = session.get(Unit, user.unit_id) if user.unit_id else None
    return stream_filter(user, unit.code if unit else None)


def still_signed_in(settings: Settings, token: str) -> Callable[[], str | None]:
    """For a stream already open: why it must end now (its token expired, its user deactivated), or None."""

    def check() -> str | None:
        with new_session() as session:  # a moment's connection, not one held for the stream's hours
            try:
                signed_in_user(session, token, settings)  # expired, signed out or deactivated: refused
            except Unauthenticated as e:
                return e.detail
        return None

    return check


async def sse_stream(
    accepts: Callable[[dict], bool], settings: Settings, still_open: Callable[[], str | None] | None = None
) -> AsyncIterator[str]:
    """The text/event-stream body: one `data:` line of JSON per event, a comment line when idle. With
    `still_open`, checked every heartbeat, the stream ends with an `end` event once it gives a reason."""
    try:
        async with broker.subscribe(accepts, settings.database_url) as sub:
            yield "retry: 5000\n: connected\n\n"
            sent = 0
            next_check = time.monotonic() + settings.feed_heartbeat_s
            while True:
                if still_open is not None and time.monotonic() >= next_check:
                    reason = await anyio.to_thread.run_sync(still_open)
                    if reason:
                        yield f"event: end\ndata: {json.dumps({'detail': reason}, ensure_ascii=False)}\n\n"
                        return
                    next_check = time.monotonic() + settings.feed_heartbeat_s
                try:
                    data = await asyncio.wait_for(sub.queue.get(), settings.feed_heartbeat_s)
                except TimeoutError:
                    yield ": heartbeat\n\n"
                    continue
                sent += 1
                yield f"id: {sent}\ndata: {data}\n\n"
    except psycopg.OperationalError:
        log.exception("the live feed could not LISTEN")
        yield 'event: error\ndata: {"detail": "the live feed is unavailable; retrying"}\n\n'
