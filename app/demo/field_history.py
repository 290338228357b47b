"""The demo district's field work of the last weeks: inspections of every site (some of them self-checks) and
daily road-chief patrols (a few of them faked), so every view has data. Deterministic for a given `now`;
written in bulk in the caller's transaction.

Historical inspections come from the paper ledger like the historical issues: their failed items carry no
photos and name no issue.
"""

import hashlib
import json
import random
import uuid
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from shapely.geometry import LineString
from sqlalchemy import insert, select
from sqlmodel import Session

from app.config import Settings
from app.demo.history_cast import People
from app.geo import MetricFrame
from app.models import ChecklistItem, ChecklistTemplate, Inspection, InspectionItem, Zone
from app.models.patrol import Patrol, PatrolBatch, PatrolPoint, RoadCoverage
from app.patrol import TrackRules, check_track, covered_lengths, distance_m, track_pieces
from app.patrol.track import Track

SEED = 20261129
INSPECTION_DAYS = 30
PATROL_DAYS = 14
EVERY_S = 30.0  # a point every half minute: enough to draw the demo, light to write
SPEED = 3.0  # m/s


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def seed_field_history(
    session: Session, settings: Settings, people: People, now: datetime
) -> tuple[int, int]:
    """Writes the inspections and patrols (not committed); returns how many of each."""
    rnd = random.Random(SEED)
    tz = ZoneInfo(settings.timezone)
    return _inspections(session, rnd, people, now, tz), _patrols(session, settings, rnd, people, now, tz)


def _inspections(session: Session, rnd: random.Random, people: People, now: datetime, tz: ZoneInfo) -> int:
    templates = {t.site_kind: t for t in session.execute(select(ChecklistTemplate)).scalars()}
    items: dict[int, list[ChecklistItem]] = defaultdict(list)
    for item in session.execute(select(ChecklistItem).order_by(ChecklistItem.seq)).scalars():
        items[item.template_id].append(item)
    sites = session.execute(select(Zone).where(Zone.layer == "site").order_by(Zone.code)).scalars().all()
    rows, answers = [], []
    today = now.astimezone(tz).date()
    for site in sites:
        checklist = templates.get(site.category or "")
        if checklist is None:
            continue
        where = shapely.from_geojson(site.geometry).representative_point()
        care = rnd.uniform(0.75, 0.98)  # how well this site is kept
        for k in range(rnd.randint(0, 3)):
            day = today - timedelta(days=rnd.randint(1 + 8 * k, 8 * (k + 1)))
            at = datetime.combine(day, time(rnd.randint(9, 16), rnd.randint(0, 59)), tz)
            self_check = rnd.random() < 0.35
            inspector = people.handler.get(site.unit_id) if self_check else rnd.choice(people.office)
            if inspector is None:
                continue
            inspection_id = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            counts = {"pass": 0, "fail": 0, "na": 0}
            for item in items[checklist.id]:
                roll = rnd.random()
                result = "na" if roll > 0.97 else ("pass" if roll < care else "fail")
                counts[result] += 1
                answers.append(
                    {
                        "inspection_id": inspection_id,
                        "code": item.code,
                        "seq": item.seq,
                        "result": result,
                        "note": "",
                        "photo_ids": "",
                        "issue_id": None,
                    }
                )
            rows.append(
                {
                    "id": inspection_id,
                    "site_zone_id": site.id,
                    "unit_id": site.unit_id,
                    "template_id": checklist.id,
                    "inspector_id": inspector.id,
                    "self_check": self_check,
                    "lat": where.y,
                    "lon": where.x,
                    "accuracy_m": 10.0,
                    "distance_m": 0.0,
                    "note": "",
                    "passed": counts["pass"],
                    "failed": counts["fail"],
                    "na": counts["na"],
                    "content_hash": _hash(f"history:{inspection_id}"),
                    "at": at,
                }
            )
    if rows:
        session.execute(insert(Inspection), rows)
        session.execute(insert(InspectionItem), answers)
    return len(rows)


def _patrols(
    session: Session, settings: Settings, rnd: random.Random, people: People, now: datetime, tz: ZoneInfo
) -> int:
    roads = session.execute(select(Zone).where(Zone.layer == "road").order_by(Zone.code)).scalars().all()
    if not roads:
        return 0
    geoms = shapely.from_geojson(np.array([r.geometry for r in roads], dtype=object))
    frame = MetricFrame.around(shapely.total_bounds(geoms))
    metric = frame.to_metric(geoms)
    by_unit: dict[int, list[tuple[Zone, LineString]]] = defaultdict(list)
    for road, line in zip(roads, metric, strict=True):
        by_unit[road.unit_id].append((road, line))
    rules = TrackRules(max_speed_mps=settings.patrol_max_speed_kmh / 3.6, clock_skew_s=settings.clock_skew_s)
    patrols, batches, points, coverage = [], [], [], []
    today = now.astimezone(tz).date()
    for unit_id, segments in sorted(by_unit.items()):
        chief = people.road.get(unit_id)
        if chief is None:
            continue
        diligence = rnd.uniform(0.5, 1.0)  # the share of days this unit goes out
        for back in range(PATROL_DAYS, 0, -1):
            day = today - timedelta(days=back)
            if rnd.random() > diligence:
                continue
            start = datetime.combine(day, time(8, 30), tz) + timedelta(minutes=rnd.randint(0, 90))
            chosen = [s for s in segments if rnd.random() < 0.8] or segments[:1]
            route = LineString([xy for _, line in chosen for xy in line.coords])
            fake = rnd.random() < 0.05  # a phone left on a desk
            n = int(min(route.length / SPEED, 3600) / EVERY_S) + 1
            along = np.zeros(n) if fake else np.arange(n) * SPEED * EVERY_S
            at = shapely.line_interpolate_point(route, np.minimum(along, route.length))
            x = shapely.get_x(at) + np.array([rnd.gauss(0, 4) for _ in range(n)])
            y = shapely.get_y(at) + np.array([rnd.gauss(0, 4) for _ in range(n)])
            t = start.timestamp() + np.arange(n) * EVERY_S
            track = Track(t=t, x=x, y=y, accuracy=np.full(n, 8.0))
            ended = datetime.fromtimestamp(float(t[-1]), tz)
            check = check_track(track, ended.timestamp() + 60, rules)
            patrol_id = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            batch_id = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            counts = check.counts()
            patrols.append(
                {
                    "id": patrol_id,
                    "user_id": chief.id,
                    "unit_id": unit_id,
                    "started_at": start,
                    "ended_at": ended,
                    "last_point_at": ended,
                    "point_count": n,
                    "distance_m": round(
                        distance_m(
                            track, check.trusted, settings.patrol_max_gap_m, settings.patrol_max_gap_s
                        ),
                        1,
                    ),
                    "flags": json.dumps(counts, sort_keys=True),
                    "suspect": check.suspect,
                    "content_hash": _hash(f"history:{patrol_id}"),
                }
            )
            batches.append(
                {
                    "id": batch_id,
                    "patrol_id": patrol_id,
                    "content_hash": _hash(f"history:{batch_id}"),
                    "first_seq": 1,
                    "count": n,
                    "received_at": ended,
                }
            )
            lons, lats = frame.backward(x, y)
            points += [
                {
                    "patrol_id": patrol_id,
                    "seq": i + 1,
                    "batch_id": batch_id,
                    "t": datetime.fromtimestamp(float(t[i]), tz),
                    "lon": float(lons[i]),
                    "lat": float(lats[i]),
                    "accuracy_m": 8.0,
                    "received_at": ended,
                }
                for i in range(n)
            ]
            pieces = track_pieces(track, check.trusted, settings.patrol_max_gap_m, settings.patrol_max_gap_s)
            lines = [line for _, line in segments]
            for (road, _), c in zip(
                segments, covered_lengths(lines, [pieces], settings.patrol_buffer_m), strict=True
            ):
                coverage.append(
                    {
                        "zone_id": road.id,
                        "day": day,
                        "unit_id": unit_id,
                        "length_m": round(c.length_m, 1),
                        "covered_m": round(c.covered_m, 1),
                        "share": round(c.share, 4),
                        "updated_at": ended,
                    }
                )
    if patrols:
        session.execute(insert(Patrol), patrols)
        session.execute(insert(PatrolBatch), batches)
        session.execute(insert(PatrolPoint), points)
        session.execute(insert(RoadCoverage), coverage)
    return len(patrols)
