"""The re-use rule's queries: look-alikes among attached photos, near-duplicates among all."""

import random
import uuid

import pytest
from sqlalchemy import text

from app.errors import NotFound
from app.models import Issue, IssuePhoto, Photo, Role, User
from app.models.photo import phash_bands
from app.photos.phash import hamming, to_hex, to_signed
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


def _near(rng: random.Random, value: int, bits: int) -> int:
    for position in rng.sample(range(64), bits):
        value ^= 1 << position
    return value


@pytest.mark.parametrize("max_distance", [0, 3, 4, 6, 7, 8, 11, 15, 16, 20])
def test_band_search_finds_exactly_what_brute_force_finds(add_photo, session, max_distance):
    rng = random.Random(max_distance)
    target = rng.getrandbits(64)
    hashes = [_near(rng, target, rng.randint(0, 24)) for _ in range(150)] + [
        rng.getrandbits(64) for _ in range(50)
    ]
    for value in hashes:
        add_photo(value)
    found = near_duplicates(session, to_signed(target), max_distance, limit=1000)
    expected = sorted(d for d in (hamming(v, target) for v in hashes) if d <= max_distance)
    assert [d for _, d in found] == expected


def test_bands_are_filled_in_whoever_makes_the_row(add_photo, session):
    photo = add_photo(BASE)
    row = session.execute(
        text(
            "SELECT phash_band0, phash_band1, phash_band2, phash_band3, (phash_int >> 48) & 65535, "
            "(phash_int >> 32) & 65535, (phash_int >> 16) & 65535, phash_int & 65535 FROM photo WHERE id = :id"
        ),
        {"id": photo.id},
    ).one()
    assert (
        tuple(row[:4]) == tuple(row[4:]) == phash_bands(to_signed(BASE)) == (0xF0F0, 0xA5A5, 0x0F0F, 0x5A5A)
    )
