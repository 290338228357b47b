"""The re-use rule's queries: look-alikes among attached photos, near-duplicates among all."""

import uuid

import pytest

from app.errors import NotFound
from app.models import Issue, IssuePhoto, Photo, Role, User
from app.photos.phash import to_hex, to_signed
from app.services.photos import attached_lookalike, get_photo, is_attached, near_duplicates
from tests.photos.images import encode, picture

BASE = 0xF0F0_A5A5_0F0F_5A5A  # top bit set: stored as a negative BIGINT


def flipped(value: int, bits: int) -> int:
    return value ^ ((1 << bits) - 1)  # the lowest `bits` bits flipped: exactly `bits` apart


@pytest.fixture
def reporter(session) -> User:
    user = User(username="reporter", role=Role.grid_worker, password_hash="x", display_name="r")
    session.add(user)
    session.commit()
    return user


@pytest.fixture
def add_photo(session):
    def add(phash: int) -> Photo:
        photo = Photo(
            id=str(uuid.uuid4()),
            sha256=uuid.uuid4().hex * 2,
            phash=to_hex(phash),
            phash_int=to_signed(phash),
            mime="image/jpeg",
            size_bytes=1,
            width=1,
            height=1,
        )
        session.add(photo)
        session.commit()
        return photo

    return add


@pytest.fixture
def attach(session, reporter):
    count = iter(range(1, 10_000))

    def attach(photo: Photo) -> None:
        n = next(count)
        issue = Issue(
            id=str(uuid.uuid4()),
            ref=f"2026-{n:06d}",
            category="env.litter",
            lat=31.0,
            lon=121.0,
            reporter_id=reporter.id,
            content_hash=f"{n:064d}",
        )
        session.add(issue)
        session.flush()
        session.add(IssuePhoto(issue_id=issue.id, photo_id=photo.id, role="report"))
        session.commit()

    return attach


def test_an_attached_photo_within_reach_is_found(add_photo, attach, session):
    old = add_photo(flipped(BASE, 5))
    attach(old)
    new = add_photo(BASE)
    assert attached_lookalike(session, new, max_distance=6).id == old.id
    assert attached_lookalike(session, new, max_distance=4) is None


def test_unattached_look_alikes_do_not_count(add_photo, session):
    add_photo(BASE)
    new = add_photo(flipped(BASE, 1))
    assert attached_lookalike(session, new, max_distance=6) is None


def test_the_photo_itself_is_never_its_own_look_alike(add_photo, attach, session):
    photo = add_photo(BASE)
    attach(photo)
    assert attached_lookalike(session, photo, max_distance=6) is None
    assert is_attached(session, photo.id)
    assert not is_attached(session, add_photo(0).id)


def test_the_closest_attached_photo_wins(add_photo, attach, session):
    for bits in (6, 2, 4):
        attach(add_photo(flipped(BASE, bits)))
    new = add_photo(BASE)
    found = attached_lookalike(session, new, max_distance=6)
    assert found.phash == to_hex(flipped(BASE, 2))


def test_positive_and_negative_hashes_compare_by_their_bits(add_photo, attach, session):
    low = add_photo(0x7FFF_FFFF_FFFF_FFFF)  # positive as BIGINT
    attach(low)
    high = add_photo(0xFFFF_FFFF_FFFF_FFFF)  # negative as BIGINT, one bit away
    assert attached_lookalike(session, high, max_distance=1).id == low.id


def test_near_duplicates_are_ranked_and_limited(add_photo, session):
    far = add_photo(flipped(BASE, 20))
    photos = {bits: add_photo(flipped(BASE, bits)) for bits in (3, 0, 6, 1)}
    found = near_duplicates(session, to_signed(BASE), max_distance=6)
    assert [d for _, d in found] == [0, 1, 3, 6]
    assert [p.id for p, _ in found] == [photos[b].id for b in (0, 1, 3, 6)]
    assert far.id not in {p.id for p, _ in found}
    assert len(near_duplicates(session, to_signed(BASE), max_distance=6, limit=2)) == 2


def test_a_recompressed_copy_of_an_attached_photo_is_caught_end_to_end(upload, attach, session):
    scene = picture(11, (1600, 1200))
    first = get_photo(session, upload(encode(scene, "JPEG", quality=92)).json()["id"])
    attach(first)
    copy = upload(encode(scene.resize((1200, 900)), "JPEG", quality=60)).json()
    other = upload(encode(picture(12, (1600, 1200)), "JPEG", quality=92)).json()
    assert copy["sha256"] != first.sha256
    assert attached_lookalike(session, get_photo(session, copy["id"]), max_distance=6).id == first.id
    assert attached_lookalike(session, get_photo(session, other["id"]), max_distance=6) is None


def test_get_photo_of_an_unknown_id_is_not_found(session):
    with pytest.raises(NotFound):
        get_photo(session, "no-such-photo")
