"""The photo_reused check: attached_lookalike() among 50,000 attached photos, against two full scans.

    .venv/bin/python -m benchmarks.photo_lookalike [--attached 50000] [--postgres postgresql+psycopg://...]

Builds a migrated database (SQLite in a temporary directory by default; with --postgres, a fresh database on
that server, dropped at the end) holding `attached` photos attached to issues (10 per issue) and as many
unattached ones, with random 64-bit perceptual hashes and some planted look-alikes. Then times
app.services.photos.attached_lookalike (numpy XOR + popcount over the phash_int column, then an indexed
fetch of the few within reach) against the baseline a first version would write: load every attached Photo
through the ORM and compare hashes in Python. Both must find the same photos.
"""

import argparse
import statistics
import time
import uuid
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import insert, select, text
from sqlmodel import Session

from app.db import make_engine
from app.migrate import upgrade
from app.models import Issue, IssuePhoto, Photo, Role, User
from app.models.photo import phash_bands
from app.photos.phash import hamming, to_hex, to_signed
from app.services.photos import attached_lookalike
from benchmarks.scratch import scratch_postgres, scratch_sqlite

BAND_NAMES = [f"phash_band{i}" for i in range(4)]
MAX_DISTANCE = 6
PER_ISSUE = 10
QUERIES = 25


def populate(session: Session, attached: int, rng: np.random.Generator) -> list[Photo]:
    """Photos (half attached) and the query photos: half with a planted look-alike, half without."""
    now = datetime.now(UTC)
    session.add(User(username="bench", role=Role.grid_worker, password_hash="x"))
    session.commit()
    reporter = session.exec(select(User.id)).first()[0]
    hashes = [int(h) for h in rng.integers(0, 2**64, 2 * attached, dtype=np.uint64)]
    photos = [
        {
            "id": str(uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | i)),
            "sha256": f"{i:064x}",
            "phash": to_hex(h),
            "phash_int": to_signed(h),
            **dict(zip(BAND_NAMES, phash_bands(h), strict=True)),  # a Core insert: no ORM event fills them
            "mime": "image/jpeg",
            "size_bytes": 1,
            "width": 1,
            "height": 1,
            "created_at": now,
        }
        for i, h in enumerate(hashes)
    ]
    issues = [
        {
            "id": str(uuid.uuid4()),
            "ref": f"2026-{n:06d}",
            "status": "reported",
            "category": "env.litter",
            "description": "",
            "lat": 28.2,
            "lon": 112.9,
            "reporter_id": reporter,
            "fixed_on_site": False,
            "disputed": False,
            "reopen_count": 0,
            "extension_pending": False,
            "version": 1,
            "content_hash": f"{n:064x}",
            "created_at": now,
            "updated_at": now,
        }
        for n in range(attached // PER_ISSUE)
    ]
    links = [
        {"issue_id": issues[i // PER_ISSUE]["id"], "photo_id": photos[i]["id"], "role": "report"}
        for i in range(attached)
    ]
    for table, rows in ((Photo, photos), (Issue, issues), (IssuePhoto, links)):
        for start in range(0, len(rows), 5000):
            session.execute(insert(table), rows[start : start + 5000])
    queries = []
    for q in range(QUERIES):
        planted = q % 2 == 0
        base = hashes[int(rng.integers(0, attached))] if planted else int(rng.integers(0, 2**63))
        h = base ^ (0b101 << int(rng.integers(0, 60))) if planted else base  # 2 bits from an attached photo
        queries.append(
            Photo(
                id=str(uuid.uuid4()),
                sha256=uuid.uuid4().hex * 2,
                phash=to_hex(h),
                phash_int=to_signed(h),
                mime="image/jpeg",
                size_bytes=1,
                width=1,
                height=1,
            )
        )
    session.add_all(queries)
    session.commit()
    return queries


def orm_loop(session: Session, photo: Photo, max_distance: int) -> Photo | None:
    """Baseline 1, the first version anyone writes: every attached photo as an ORM object, compared in Python."""
    attached = session.scalars(select(Photo).join(IssuePhoto, IssuePhoto.photo_id == Photo.id)).all()
    near = [p for p in attached if p.id != photo.id and hamming(p.phash_int, photo.phash_int) <= max_distance]
    return min(near, key=lambda p: (hamming(p.phash_int, photo.phash_int), p.created_at, p.id), default=None)


def numpy_scan(session: Session, photo: Photo, max_distance: int) -> Photo | None:
    """Baseline 2, a full scan done well: only the attached phash_int column, XOR + popcount in numpy."""
    column = (
        session.execute(select(Photo.phash_int).join(IssuePhoto, IssuePhoto.photo_id == Photo.id))
        .scalars()
        .all()
    )
    hashes = np.fromiter(column, dtype=np.int64, count=len(column))
    xor = hashes.view(np.uint64) ^ np.uint64(photo.phash_int & 0xFFFF_FFFF_FFFF_FFFF)
    near = sorted({int(h) for h in hashes[np.bitwise_count(xor) <= max_distance]})
    if not near:
        return None
    rows = session.scalars(
        select(Photo)
        .join(IssuePhoto, IssuePhoto.photo_id == Photo.id)
        .where(Photo.phash_int.in_(near), Photo.id != photo.id)
    ).all()
    return min(rows, key=lambda p: (hamming(p.phash_int, photo.phash_int), p.created_at, p.id), default=None)


def timed(fn, session: Session, queries: list[Photo]) -> tuple[float, list[str | None]]:
    times, found = [], []
    for photo in queries:
        session.expunge_all()
        started = time.perf_counter()
        result = fn(session, photo, MAX_DISTANCE)
        times.append((time.perf_counter() - started) * 1000)
        found.append(result.id if result else None)
    return statistics.median(times), found


def run(url: str, attached: int) -> None:
    upgrade(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        started = time.perf_counter()
        queries = populate(session, attached, np.random.default_rng(4))
        print(
            f"{engine.dialect.name}: {2 * attached:,} photos, {attached:,} attached, built in {time.perf_counter() - started:.1f} s"
        )
        if engine.dialect.name == "postgresql":
            session.execute(text("ANALYZE"))  # as autovacuum would soon after a bulk load
            session.commit()
        timed(attached_lookalike, session, queries[:3])  # warm the caches every way uses
        ours, ours_found = timed(attached_lookalike, session, queries)
        scan, scan_found = timed(numpy_scan, session, queries)
        loop, loop_found = timed(orm_loop, session, queries)
    engine.dispose()
    assert ours_found == scan_found == loop_found, "the three ways disagree"
    hits = sum(f is not None for f in ours_found)
    print(
        f"  attached_lookalike (indexed 16-bit bands)   median {ours:8.2f} ms   ({hits}/{len(queries)} planted found)"
    )
    print(
        f"  baseline: numpy scan of attached phash_int  median {scan:8.2f} ms   speed-up {scan / ours:6.1f}x"
    )
    print(
        f"  baseline: ORM objects, Python loop          median {loop:8.2f} ms   speed-up {loop / ours:6.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attached", type=int, default=50_000)
    parser.add_argument(
        "--postgres", help="a PostgreSQL server URL; a fresh database is made and dropped there"
    )
    args = parser.parse_args()
    scratch = scratch_postgres(args.postgres, "bench_lookalike") if args.postgres else scratch_sqlite()
    with scratch as url:
        run(url, args.attached)


if __name__ == "__main__":
    main()
