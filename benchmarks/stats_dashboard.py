"""Dashboard figures over 1,000,000 issues, on SQLite and PostgreSQL, with and without their indexes.

    .venv/bin/python -m benchmarks.stats_dashboard [--rows 1000000] [--only sqlite|postgresql]

SQLite: a throwaway file under /tmp, kept between runs (regenerated when its row count differs).
PostgreSQL: a throwaway database made on XUNCHA_BENCH_PG (default postgres@127.0.0.1:5432) and dropped after.
Each query is timed (median of several runs) with the indexes, then the same query after dropping the
indexes that serve it, then the indexes are built again. Targets are printed, not enforced.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine
from app.models import DASHBOARD_INDEXES, Issue, IssueZone, User
from app.services.stats import figures as stats
from app.services.stats import indicators as stats_indicators
from app.services.stats.filters import StatsFilter
from benchmarks.scratch import scratch_postgres
from benchmarks.stats_generate import bench_indexes, generate

SQLITE_PATH = "/tmp/xuncha_bench_stats.db"
PG_SERVER = os.environ.get("XUNCHA_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# the indexes the measured queries use: ours, and the two of issue.py that summary and per-unit use
SERVING = {"ix_issue_status_due", "ix_issue_unit_status"} | {i.name for i in DASHBOARD_INDEXES}
OFFICE = User(id=0, username="bench-office", role="office", password_hash="-")


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median milliseconds of `runs` calls after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def queries(session: Session, settings: Settings) -> list[tuple[str, float | None, Callable[[], object]]]:
    """(name, target ms or None for information only, the call)."""
    flt = StatsFilter()
    return [
        ("summary", 150, lambda: stats.summary(session, flt)),
        ("per-unit stats", 150, lambda: stats.unit_stats(session, flt)),
        ("one unit's figures", 5, lambda: stats.unit_figures(session, OFFICE, "U042", flt)),
        ("overdue list, first page", 50, lambda: stats.overdue_page(session, flt, 50)),
        ("indicators (info)", None, lambda: stats.indicators(session, flt)),
        ("per-site stats (info)", None, lambda: stats.site_stats(session, flt)),
        ("ranking (info)", None, lambda: stats_indicators.ranking(session, flt)),
        ("trend, 30 days (info)", None, lambda: stats_indicators.trend(session, settings, flt, 30)),
    ]


def serving_indexes():
    return [i for i in (*Issue.__table__.indexes, *IssueZone.__table__.indexes) if i.name in SERVING]


def measure(engine: Engine, settings: Settings, runs: int) -> list[tuple[str, float | None, float, float]]:
    results: dict[str, list] = {}
    with Session(engine) as session:
        for name, target, fn in queries(session, settings):
            results[name] = [target, timed(fn, runs)]
    indexes = serving_indexes()
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
    _analyze(engine)
    try:
        with Session(engine) as session:
            for name, target, fn in queries(session, settings):
                # a full scan per call: fewer runs, and the information-only ones once
                results[name].append(timed(fn, max(1, runs // 3) if target else 1))
    finally:
        with engine.begin() as conn:
            for index in indexes:
                index.create(conn)
        _analyze(engine)
    return [(name, target, with_ms, without_ms) for name, (target, with_ms, without_ms) in results.items()]


def _analyze(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE issue"))
            conn.execute(text("VACUUM ANALYZE issue_zone"))


def report(label: str, rows: list[tuple[str, float | None, float, float]]) -> None:
    print(f"\n{label}")
    print(f"  {'query':28} {'target':>8} {'indexed':>10} {'no index':>10} {'ratio':>7}  met")
    for name, target, with_ms, without_ms in rows:
        t = f"{target} ms" if target else "-"
        met = "" if target is None else ("yes" if with_ms <= target else "NO")
        print(f"  {name:28} {t:>8} {with_ms:8.1f}ms {without_ms:8.1f}ms {without_ms / with_ms:6.1f}x  {met}")


def run_sqlite(rows: int, runs: int) -> None:
    url = f"sqlite:///{SQLITE_PATH}"
    engine = None
    if os.path.exists(SQLITE_PATH):
        engine = make_engine(url)
        with engine.connect() as conn:
            have = conn.execute(select(func.count()).select_from(Issue)).scalar()
        if have != rows:
            engine.dispose()
            engine = None
            os.remove(SQLITE_PATH)
    if engine is None:
        print(f"generating {rows:,} issues in {SQLITE_PATH} ...", flush=True)
        print(f"  done in {generate(url, rows):.1f} s", flush=True)
        engine = make_engine(url)
    else:
        print(f"reusing {SQLITE_PATH} ({rows:,} issues)")
        with engine.begin() as conn:  # an index added since the file was made
            for index in bench_indexes():
                index.create(conn, checkfirst=True)
            conn.execute(text("ANALYZE"))
    report(f"SQLite, {rows:,} issues", measure(engine, Settings(database_url=url), runs))
    engine.dispose()


def run_postgres(rows: int, runs: int) -> None:
    with scratch_postgres(PG_SERVER, "xuncha_bench_stats") as url:
        print(f"\ngenerating {rows:,} issues in PostgreSQL database {make_url(url).database} ...", flush=True)
        print(f"  done in {generate(url, rows):.1f} s", flush=True)
        engine = make_engine(url)
        report(f"PostgreSQL, {rows:,} issues", measure(engine, Settings(database_url=url), runs))
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    if args.only != "postgresql":
        run_sqlite(args.rows, args.runs)
    if args.only != "sqlite":
        run_postgres(args.rows, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
