"""The process-wide index: built once, rebuilt when zone_revision moves, also when another process moved it."""

import json
import os
import subprocess
import sys
import threading

from app.db import new_session
from app.services import zones
from tests.geo.conftest import at, collection, feature, rect

GRID = collection(feature("G01", "sq01", rect(0, 0, 400, 300)))


def test_the_index_is_built_once_and_reused_while_zones_are_unchanged(session, units):
    zones.import_zones(session, "grid", GRID)
    first = zones.current_index(session)
    assert zones.current_index(session) is first
    assert zones.locate(session, *at(10, 10)).unit == "sq01"
    assert zones.current_index(session) is first


def test_a_zone_change_in_this_process_rebuilds_the_index(session, units):
    zones.import_zones(session, "grid", GRID)
    first = zones.current_index(session)
    zones.import_zones(session, "grid", collection(feature("G01", "sq02", rect(0, 0, 400, 300))))
    assert zones.current_index(session) is not first
    assert zones.locate(session, *at(10, 10)).unit == "sq02"


def test_bump_revision_alone_marks_zones_changed_and_is_undone_by_rollback(session, units):
    index = zones.current_index(session)
    zones.bump_revision(session)
    session.rollback()
    assert zones.current_index(session) is index
    zones.bump_revision(session)
    session.commit()
    assert zones.current_index(session) is not index


def test_max_age_skips_the_check_until_this_process_commits_a_change(session, units, database_url):
    zones.import_zones(session, "grid", GRID)
    index = zones.current_index(session, max_age_s=3600)
    assert zones.current_index(session, max_age_s=3600) is index
    # a change committed elsewhere (simulated by a bare update) is not seen within max_age_s ...
    session.exec(zones.update(zones.ZoneRevision).values(version=zones.ZoneRevision.version + 1))
    session.commit()
    assert zones.current_index(session, max_age_s=3600) is index
    assert zones.current_index(session) is not index  # ... but is by a call that checks
    # this process's own zone commit is seen at once, even within max_age_s
    again = zones.current_index(session, max_age_s=3600)
    zones.import_zones(session, "grid", collection(feature("G01", "wy01", rect(0, 0, 400, 300))))
    fresh = zones.current_index(session, max_age_s=3600)
    assert fresh is not again and fresh.locate(*at(10, 10)).unit == "wy01"


def test_a_change_made_by_another_process_is_seen_here(session, units, database_url, tmp_path):
    zones.import_zones(session, "grid", GRID)
    assert zones.locate(session, *at(10, 10)).unit == "sq01"
    path = tmp_path / "grid.geojson"
    path.write_text(json.dumps(collection(feature("G01", "zjj", rect(0, 0, 400, 300)))))
    env = os.environ | {"XUNCHA_DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "import-zones", str(path), "--layer", "grid"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "layer grid: 0 created, 1 updated" in done.stdout
    session.rollback()  # end this session's read snapshot, as a new request would
    assert zones.locate(session, *at(10, 10)).unit == "zjj"


def test_changed_settings_rebuild_the_index(session, units, monkeypatch):
    zones.import_zones(session, "grid", GRID)
    assert zones.locate(session, *at(-20, 10)).unit == "sq01"
    monkeypatch.setenv("XUNCHA_SNAP_M", "10")
    zones.get_settings.cache_clear()
    assert zones.locate(session, *at(-20, 10)).unit is None
    assert zones.current_index(session).rules.snap_m == 10


def test_locate_many_over_the_cached_index_for_bulk_work(session, units):
    zones.import_zones(session, "grid", GRID)
    index = zones.current_index(session)
    bulk = index.locate_many(*zip(at(10, 10), at(-20, 10), at(-500, 10), strict=True))
    grid = list(index.layers).index("grid")
    assert list(bulk.unit_id) == [units["sq01"].id, units["sq01"].id, -1]
    zone_id = bulk.zone_id[0, grid]
    assert zone_id > 0 and bulk.zone_id[1, grid] == zone_id


def test_concurrent_imports_of_one_layer_queue_instead_of_colliding(database_url, units):
    data = collection(*(feature(f"G{i:02d}", "sq01", rect(i * 10, 0, i * 10 + 9, 9)) for i in range(40)))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            with new_session() as session:
                barrier.wait()
                results.append(zones.import_zones(session, "grid", data))
        except Exception as e:  # the assertion below shows it
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted((r.created, r.updated) for r in results) == [(0, 40), (40, 0)]
    with new_session() as session:
        assert len(zones.current_index(session).zone_ids) == 40
