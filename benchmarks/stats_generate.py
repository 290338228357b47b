"""Generates a campaign of N issues (default 1,000,000) into a database, fast: executemany on SQLite, COPY on
PostgreSQL, secondary indexes dropped during the load and built after.

    .venv/bin/python -m benchmarks.stats_generate sqlite:////tmp/xuncha_bench.db [--rows 1000000]

The schema comes from the migrations. Deterministic (seeded), so two runs make the same campaign.
"""

import argparse
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, Index, text

from app.db import make_engine
from app.migrate import upgrade
from app.models import Issue, IssueZone

SEED = 20261125
UNITS = 200
SITES = 400
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
CATEGORIES = [
    "env.litter", "env.water", "env.butts", "fac.road", "fac.lamp", "fac.bench", "fac.bin", "fac.sign",
    "fac.fire_lane", "fac.nursing_room", "fac.accessibility", "ads.missing", "ads.damaged", "site.fence",
    "svc.volunteer", "svc.window", "order.vending", "order.frontage", "traffic.parking", "other",
]  # fmt: skip
# status, weight: a campaign in its last weeks, most problems closed
STATUSES = [
    ("closed", 64), ("rectified", 8), ("in_progress", 10), ("dispatched", 10),
    ("reported", 6), ("rejected", 1), ("merged", 1),
]  # fmt: skip
ISSUE_COLUMNS = [
    "id", "ref", "status", "category", "description", "lat", "lon", "unit_id", "proposed_unit_id",
    "reporter_id", "fixed_on_site", "disputed", "reopen_count", "extension_pending", "version",
    "content_hash", "created_at", "updated_at", "dispatched_at", "due_at", "rectified_at", "closed_at",
]  # fmt: skip


def bench_indexes() -> list[Index]:
    """Every secondary index of the issue tables (dropped for the load, built after it)."""
    return [*Issue.__table__.indexes, *IssueZone.__table__.indexes]


def issue_rows(n: int, sqlite: bool) -> Iterator[tuple]:
    rng = random.Random(SEED)
    statuses = [s for s, w in STATUSES for _ in range(w)]

    def when(dt: datetime | None):
        if dt is None:
            return None
        return dt.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else dt

    for i in range(n):
        status = rng.choice(statuses)
        created = NOW - timedelta(seconds=rng.randrange(365 * 86400))
        unit = rng.randrange(1, UNITS + 1)
        dispatched = due = rectified = closed = None
        if status not in ("reported", "rejected", "merged"):
            dispatched = created + timedelta(minutes=rng.randrange(10, 600))
            due = dispatched + timedelta(hours=rng.choice((4, 8, 16, 24, 40, 80)))
            if status in ("dispatched", "in_progress") and rng.random() < 0.5:
                due = min(due, NOW + timedelta(hours=rng.randrange(1, 72)))  # not every open one is late
            if status in ("rectified", "closed"):
                rectified = dispatched + timedelta(hours=rng.uniform(1, 60))
            if status == "closed":
                closed = rectified + timedelta(hours=rng.uniform(0.5, 24))
        if rectified and rectified > NOW:
            rectified = NOW - timedelta(minutes=30)
        if closed and closed > NOW:
            closed = NOW - timedelta(minutes=10)
        updated = closed or rectified or dispatched or created
        yield (
            f"00000000-0000-4000-8000-{i:012d}",
            f"B{i:07d}",
            status,
            rng.choice(CATEGORIES),
            "",
            28.19 + rng.random() * 0.054,
            112.93 + rng.random() * 0.082,
            unit,
            unit,
            1,
            False,
            False,
            1 if rng.random() < 0.05 and rectified else 0,
            status in ("dispatched", "in_progress") and rng.random() < 0.01,
            1,
            "0" * 64,
            when(created),
            when(updated),
            when(dispatched),
            when(due),
            when(rectified),
            when(closed),
        )


def site_rows(n: int) -> Iterator[tuple]:
    """Two issues in five lie in an inspection site."""
    rng = random.Random(SEED + 1)
    for i in range(n):
        if rng.random() < 0.4:
            yield (f"00000000-0000-4000-8000-{i:012d}", "site", f"S{rng.randrange(SITES):04d}", 0.0)


def load_reference(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO unit (id, code, name, kind, active, created_at) VALUES (:id, :c, :n, 'department', :a, :t)"
            ),
            [
                {"id": u, "c": f"U{u:03d}", "n": f"单位{u:03d}", "a": True, "t": NOW}
                for u in range(1, UNITS + 1)
            ],
        )
        conn.execute(
            text(
                'INSERT INTO "user" (id, username, display_name, role, password_hash, active, created_at) '
                "VALUES (1, 'bench', 'bench', 'grid_worker', '-', :a, :t)"
            ),
            {"a": True, "t": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO zone (layer, code, name, unit_id, category, geometry, min_lon, min_lat, max_lon, "
                "max_lat, updated_at) VALUES ('site', :c, :n, :u, 'main_road', '{}', 0, 0, 0, 0, :t)"
            ),
            [{"c": f"S{s:04d}", "n": f"点位{s}", "u": s % UNITS + 1, "t": NOW} for s in range(SITES)],
        )


def load_sqlite(engine: Engine, n: int) -> None:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA synchronous=OFF")
        marks = ",".join("?" * len(ISSUE_COLUMNS))
        cur.executemany(
            f"INSERT INTO issue ({','.join(ISSUE_COLUMNS)}) VALUES ({marks})", issue_rows(n, True)
        )
        cur.executemany(
            "INSERT INTO issue_zone (issue_id, layer, code, distance_m) VALUES (?, ?, ?, ?)", site_rows(n)
        )
        raw.commit()
    finally:
        raw.close()


def load_postgres(engine: Engine, n: int) -> None:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        with cur.copy(f"COPY issue ({','.join(ISSUE_COLUMNS)}) FROM STDIN") as copy:
            for row in issue_rows(n, False):
                copy.write_row(row)
        with cur.copy("COPY issue_zone (issue_id, layer, code, distance_m) FROM STDIN") as copy:
            for row in site_rows(n):
                copy.write_row(row)
        raw.commit()
    finally:
        raw.close()


def generate(url: str, n: int) -> float:
    """Migrates an empty database and fills it; returns the seconds it took."""
    start = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    load_reference(engine)
    indexes = bench_indexes()
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
    if engine.dialect.name == "sqlite":
        load_sqlite(engine, n)
    else:
        load_postgres(engine, n)
    with engine.begin() as conn:
        for index in indexes:
            index.create(conn)
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE issue"))  # index-only scans need the visibility map
            conn.execute(text("VACUUM ANALYZE issue_zone"))
    engine.dispose()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="an EMPTY database (never the test or production one)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    seconds = generate(args.url, args.rows)
    print(f"{args.rows:,} issues generated in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
