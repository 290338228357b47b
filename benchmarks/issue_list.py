"""The issue list deep in a large ledger: a keyset page (the cursor) against OFFSET paging, same rows rendered.

    .venv/bin/python -m benchmarks.issue_list [--issues 60000] [--postgres postgresql+psycopg://...]

Builds a migrated database (SQLite in a temporary directory by default; with --postgres, a fresh database on
that server, dropped at the end) holding `issues` issues with three events each, then times one page of 50
at depth 80% of the list (newest first), as app.services.issues.list_issues serves it from a cursor, against
the baseline a first version would write: the same query with OFFSET. Both must return the same issues.
"""

import argparse
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text
from sqlmodel import Session

from app.db import make_engine
from app.migrate import upgrade
from app.models import Issue, IssueEvent, Role, Unit, User
from app.services.issues import list_issues
from app.services.issues.query import IssueFilters, encode_cursor, filtered_issues_query, page_query
from app.services.issues.render import render_issues
from benchmarks.scratch import scratch_postgres, scratch_sqlite

PAGE = 50
RUNS = 15
CATEGORIES = ["env.litter", "fac.road", "traffic.parking", "order.vending", "fac.bin"]


def populate(session: Session, n: int) -> User:
    rnd = random.Random(1)
    session.add(Unit(code="u1", name="u1"))
    session.flush()
    office = User(username="office", role=Role.office, password_hash="x")
    session.add(office)
    session.commit()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for chunk in range(0, n, 10_000):
        issues, events = [], []
        for i in range(chunk, min(chunk + 10_000, n)):
            created = start + timedelta(seconds=i * 240 + rnd.randint(0, 200))
            issue_id = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            issues.append(
                {
                    "id": issue_id,
                    "ref": f"{2026 + i // 999_999}-{i % 999_999 + 1:06d}",
                    "status": "in_progress",
                    "category": rnd.choice(CATEGORIES),
                    "description": "",
                    "lat": 28.2 + rnd.random() / 50,
                    "lon": 112.9 + rnd.random() / 50,
                    "unit_id": 1,
                    "proposed_unit_id": 1,
                    "reporter_id": office.id,
                    "fixed_on_site": False,
                    "disputed": False,
                    "reopen_count": 0,
                    "extension_pending": False,
                    "version": 3,
                    "content_hash": "x",
                    "created_at": created,
                    "updated_at": created,
                    "due_at": created + timedelta(days=2),
                }
            )
            for seq, (action, a, b) in enumerate(
                [
                    ("report", None, "reported"),
                    ("accept", "reported", "dispatched"),
                    ("start", "dispatched", "in_progress"),
                ],
                1,
            ):
                events.append(
                    {
                        "issue_id": issue_id,
                        "seq": seq,
                        "action": action,
                        "from_status": a,
                        "to_status": b,
                        "actor_id": office.id,
                        "at": created + timedelta(hours=seq),
                        "note": "",
                        "flags": "",
                    }
                )
        session.execute(insert(Issue), issues)
        session.execute(insert(IssueEvent), events)
        session.commit()
    return office


def timed(fn) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(RUNS):
        t = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples), result


def run(url: str, n: int) -> None:
    upgrade(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        t = time.perf_counter()
        office = populate(session, n)
        print(
            f"{n} issues, {3 * n} events written in {time.perf_counter() - t:.1f} s ({engine.dialect.name})"
        )
        if engine.dialect.name == "postgresql":
            session.execute(text("ANALYZE"))
            session.commit()
        depth = int(n * 0.8)
        filters = IssueFilters()
        ordered = filtered_issues_query(office, filters).order_by(Issue.created_at.desc(), Issue.id.desc())
        before = session.execute(ordered.offset(depth - 1).limit(1)).scalar_one()
        cursor = encode_cursor(before)

        def keyset():
            return [i.id for i in list_issues(session, office, filters, PAGE, cursor).items]

        def offset():
            rows = session.execute(ordered.offset(depth).limit(PAGE)).scalars().all()
            return [i.id for i in render_issues(session, rows)]

        def keyset_ids():
            return (
                session.execute(page_query(filtered_issues_query(office, filters), PAGE, cursor))
                .scalars()
                .all()
            )

        def offset_ids():
            return session.execute(ordered.offset(depth).limit(PAGE)).scalars().all()

        def first_page():
            return list_issues(session, office, filters, PAGE, None).items

        keyset_s, got = timed(keyset)
        offset_s, want = timed(offset)
        first_s, _ = timed(first_page)
        keyset_q, _ = timed(keyset_ids)
        offset_q, _ = timed(offset_ids)
        assert got == want, "the cursor page and the OFFSET page differ"
    engine.dispose()
    print(f"first page of {PAGE}:                 {first_s * 1000:7.1f} ms")
    print(f"page at depth {depth} by cursor:   {keyset_s * 1000:7.1f} ms")
    print(f"baseline, the same page by OFFSET: {offset_s * 1000:7.1f} ms")
    print(f"ratio (OFFSET / cursor), whole page: {offset_s / keyset_s:.1f}x")
    print(f"the query alone: cursor {keyset_q * 1000:.1f} ms, OFFSET {offset_q * 1000:.1f} ms")
    print(f"ratio (OFFSET / cursor), query alone: {offset_q / keyset_q:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=60_000)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a scratch database is made there")
    args = parser.parse_args()
    scratch = scratch_postgres(args.postgres, "bench_issue_list") if args.postgres else scratch_sqlite()
    with scratch as url:
        run(url, args.issues)


if __name__ == "__main__":
    main()
