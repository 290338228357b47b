"""The issue tests' small district, its photos and actions, and the message helpers."""

from tests.directives.conftest import own_photo  # noqa: F401
from tests.issues.conftest import act, make_photo, make_user_fast, report, world  # noqa: F401
from tests.messages.conftest import add_channel, outbox, receiver  # noqa: F401
