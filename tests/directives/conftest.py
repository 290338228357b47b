"""The issue tests' small district (units cjb, cgj, zjj, sq01, sq02; site S001 of cgj, grid G0101 of sq01)."""

import pytest

from app.models import Photo
from tests.issues.conftest import make_photo, make_user_fast, world  # noqa: F401
from tests.messages.conftest import add_channel, outbox, receiver  # noqa: F401


@pytest.fixture
def own_photo(session, make_photo, world):  # noqa: F811  (the fixtures imported above)
    """A photo uploaded by this user of the world."""

    def make(who: str) -> str:
        photo_id = make_photo()
        photo = session.get(Photo, photo_id)
        photo.uploader_id = world.user(who).id
        session.add(photo)
        session.commit()
        return photo_id

    return make
