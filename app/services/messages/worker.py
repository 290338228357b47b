"""The message worker: scheduled work, then delivery, every `worker_poll_s`; in a thread of `xuncha serve`
or alone as `xuncha worker`."""

import logging
import os
import socket
import threading
import uuid

import httpx
from sqlalchemy import Engine, select
from sqlmodel import Session

from app.config import Settings
from app.models.base import utcnow
from app.models.message import OutboxMessage
from app.services.messages.delivery import deliver_batch, ready
from app.services.messages.schedule import run_due_jobs

log = logging.getLogger("xuncha.worker")
ONCE_WAIT_S = 0.2  # with once: how often to look again while due messages wait for their rate


def worker_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def any_due(engine: Engine) -> bool:
    """Whether some message is due now (held back only by its channel's rate, or another worker's claim)."""
    with Session(engine) as session:
        return session.execute(select(OutboxMessage.id).where(ready(utcnow())).limit(1)).first() is not None


def tick(engine: Engine, settings: Settings, client: httpx.Client, worker: str) -> dict[str, int]:
    """One round: the scheduled work that is due, then every message that is due and within its rate."""
    with Session(engine, expire_on_commit=False) as session:
        run_due_jobs(session, settings, worker, utcnow())
    with Session(engine, expire_on_commit=False) as session:
        return deliver_batch(session, settings, client, worker)


def run_worker(engine: Engine, settings: Settings, stop: threading.Event, once: bool = False) -> None:
    """Runs rounds until `stop` is set (with once: until no message is due); a failing round is logged."""
    worker = worker_name()
    log.info("message worker %s started", worker)
    with httpx.Client(timeout=settings.message_timeout_s) as client:
        while not stop.is_set():
            try:
                outcome = tick(engine, settings, client, worker)
                while outcome and not stop.is_set():  # more may be waiting: go on at once
                    outcome = tick(engine, settings, client, worker)
            except Exception:
                log.exception("message worker round failed; retrying in %.0fs", settings.worker_poll_s)
            if once and not any_due(engine):
                return
            stop.wait(ONCE_WAIT_S if once else settings.worker_poll_s)


def start_embedded(engine: Engine, settings: Settings) -> tuple[threading.Thread, threading.Event]:
    """The worker in a daemon thread of this process (the embedded set-up)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker, args=(engine, settings, stop), name="xuncha-message-worker", daemon=True
    )
    thread.start()
    return thread, stop
