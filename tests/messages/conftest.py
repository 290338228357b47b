"""The issue tests' small district, a local robot receiver, and helpers to add channels and run the worker."""

from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import select

from app.models import Channel, OutboxMessage
from tests.issues.conftest import act, make_photo, make_user_fast, report, world  # noqa: F401
from tests.messages.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def add_channel(session, receiver) -> Callable:
    """A channel of a unit on a robot of the local receiver: returns (Channel, Robot)."""

    def add(unit, name: str, kind: str = "wecom", secret: str | None = None, audience: str = "unit"):
        robot, url = receiver.robot(name, kind, secret)
        channel = Channel(
            unit_id=unit.id, kind=kind, name=name, webhook_url=url, secret=secret, audience=audience
        )
        session.add(channel)
        session.commit()
        return channel, robot

    return add


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=1.0) as client:
        yield client


@pytest.fixture
def outbox(session) -> Callable[..., list[OutboxMessage]]:
    def rows(**where) -> list[OutboxMessage]:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return list(session.execute(query.execution_options(populate_existing=True)).scalars())

    return rows
