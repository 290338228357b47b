"""The same bytes uploaded twice at the same moment: one photo, one row, both answers name it."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import select

from app.models import Photo
from app.services import photos as photo_service
from app.storage import get_photo_store
from tests.photos.images import jpeg


def test_a_concurrent_double_upload_gives_one_photo(upload, session, settings, monkeypatch):
    both_checked = threading.Barrier(2, timeout=20)
    real_derive = photo_service.derive

    def derive_after_both_looked(*args, **kwargs):
        both_checked.wait()  # both requests have found no photo with these bytes: a true race
        return real_derive(*args, **kwargs)

    monkeypatch.setattr(photo_service, "derive", derive_after_both_looked)
    data = jpeg(size=(1200, 900), lat=30.0, lon=120.0)
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: upload(data), range(2)))

    assert sorted(r.status_code for r in answers) == [200, 201], [r.text for r in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert len(session.exec(select(Photo)).all()) == 1
    assert list((settings.media_dir / "tmp").iterdir()) == []
    sha = answers[0].json()["sha256"]
    store = get_photo_store(settings)
    assert all(store.has(sha, kind) for kind in ("original", "display", "thumb"))
