"""The demo district's past: ~1,200 issues over its sites and units, most of them closed, written in bulk.

Deterministic for a given moment `now` (the history always ends there): a fixed seed picks the places,
categories, people and the pace of every issue's life; each life follows the action table
(app/workflow/rules.py) and is cut at `now`, so whatever is still open is open because its time ran out.
Historical issues come from the paper ledger: they carry no photos, and their report event says `imported`.
"""

import hashlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text
from sqlmodel import Session

from app.config import Settings
from app.demo.history_cast import cast, category_at, places, reported_at, reporter_of
from app.geo import ZoneIndex
from app.models import Category, Issue, IssueEvent, IssueZone, Unit, User, Zone
from app.services.zones import load_shapes, rules_of
from app.workflow.deadlines import WorkCalendar
from app.workflow.states import Action, Flag, Status

SEED = 20261126
TOTAL = 1200
NOTES = {
    Action.reject: ["现场核查非问题", "已由其他渠道处理", "照片无法判断问题"],
    Action.dispute: ["该点位不属于本单位管辖", "属于产权单位自管范围", "已移交但未更新台账"],
    Action.reassign: ["经核实改派", "按管辖范围改派"],
    Action.reopen: ["复查仍未整改到位", "整改不彻底，问题反弹"],
    Action.extend: ["需协调第三方施工", "材料采购中"],
    Action.refuse_extension: ["时限内可以完成"],
    Action.rectify: ["已整改", "已清理完毕", "已修复", "已规范"],
    Action.verify: ["复查合格", "现场核查通过"],
}


@dataclass
class Life:
    """One issue's row and its events, as the simulation leaves them."""

    row: dict
    events: list[dict] = field(default_factory=list)
    zones: list[dict] = field(default_factory=list)


def seed_history(session: Session, settings: Settings, units: dict[str, Unit], now: datetime) -> int:
    """Writes the history (in the caller's transaction, not committed); returns how many issues."""
    shapes = load_shapes(session)
    index = ZoneIndex(shapes, rules_of(settings))
    people = cast(session, units)
    categories = {c.code: c for c in session.execute(select(Category)).scalars()}
    calendar = WorkCalendar.from_settings(settings)
    rnd = random.Random(SEED)
    sites = [s for s in shapes if s.layer == "site"]
    kind_of: dict[str, str] = dict(
        session.execute(select(Zone.code, Zone.category).where(Zone.layer == "site")).all()
    )
    points, picked = places(rnd, sites, kind_of, TOTAL)
    found = index.locate_many([p[0] for p in points], [p[1] for p in points])
    lives = []
    for i, ((lon, lat), site) in enumerate(zip(points, picked, strict=True)):
        where = found.location(i)
        category = categories[category_at(rnd, kind_of[site.code], where)]
        created = reported_at(rnd, now, settings.timezone)
        lives.append(_live(rnd, lon, lat, where, site, category, created, now, calendar, people))
    lives.sort(key=lambda life: life.row["created_at"])
    _number(session, lives, settings.timezone)
    _merge_some(rnd, lives)
    _write(session, lives)
    return len(lives)


def _hours(rnd: random.Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rnd.uniform(low, high))


def _live(rnd, lon, lat, where, site, category, created, now, calendar, people) -> Life:
    """Simulates one issue from its report until `now` cuts it short."""
    reporter, fixed_on_site = reporter_of(rnd, where, people)
    unit_id = where.unit_id
    row = {
        "id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
        "status": Status.reported,
        "category": category.code,
        "lat": lat,
        "lon": lon,
        "accuracy_m": None,
        "unit_id": unit_id,
        "proposed_unit_id": unit_id,
        "reporter_id": reporter.id,
        "duplicate_of": None,
        "fixed_on_site": False,
        "disputed": False,
        "reopen_count": 0,
        "extension_pending": False,
        "created_at": created,
        "updated_at": created,
        "dispatched_at": None,
        "due_at": None,
        "rectified_at": None,
        "closed_at": None,
        "description": f"{site.name}：{category.name}",
    }
    life = Life(row)
    seen: set[str] = set()
    for m in where.matches:  # the most specific zone of each layer, as a live report would keep
        if m.layer not in seen:
            seen.add(m.layer)
            life.zones.append(
                {
                    "issue_id": row["id"],
                    "layer": m.layer,
                    "code": m.code,
                    "zone_id": m.zone_id,
                    "distance_m": m.distance_m,
                }
            )
    at = created
    office = rnd.choice(people.office)

    def step(action, to, actor, gap=timedelta(0), **extra) -> bool:
        nonlocal at
        if at + gap > now:
            return False
        at += gap
        life.events.append(
            {
                "action": action,
                "from_status": row["status"] if life.events else None,
                "to_status": to,
                "actor_id": actor.id,
                "actor_unit_id": actor.unit_id,
                "at": at,
                "unit_id": extra.get("unit_id"),
                "due_at": extra.get("due_at"),
                "flags": extra.get("flags", ""),
                "note": rnd.choice(NOTES.get(action, [""])),
            }
        )
        row.update(status=to, updated_at=at)
        return True

    step(Action.report, Status.reported, reporter, flags=Flag.imported.value)
    life.events[0]["note"] = ""
    if fixed_on_site:
        step(Action.rectify, Status.rectified, reporter, flags=Flag.fixed_on_site.value)
        row.update(fixed_on_site=True, dispatched_at=at, rectified_at=at)
        _verify_or_reopen(rnd, life, step, office, people, calendar, category, now)
        return life
    if rnd.random() < 0.04:
        step(Action.reject, Status.rejected, office, _hours(rnd, 0.5, 6))
        return life
    if unit_id is None or unit_id not in people.handler:
        unit_id = rnd.choice(sorted(people.handler))
    review = _hours(rnd, 0.3, 8) if rnd.random() < 0.8 else _hours(rnd, 8, 96)  # a backlog at busy times
    if not step(Action.accept, Status.dispatched, office, review, unit_id=unit_id):
        return life
    due = calendar.due_at(at, category.deadline_value, category.deadline_unit)
    life.events[-1]["due_at"] = due
    row.update(unit_id=unit_id, dispatched_at=at, due_at=due)
    if rnd.random() < 0.05:  # "not ours": the office moves it to the unit that owns the spot
        if not step(Action.dispute, Status.dispatched, people.handler[unit_id], _hours(rnd, 1, 10)):
            return life
        row["disputed"] = True
        unit_id = rnd.choice([u for u in sorted(people.handler) if u != unit_id])
        if not step(Action.reassign, Status.dispatched, office, _hours(rnd, 1, 24), unit_id=unit_id):
            return life
        due = calendar.due_at(at, category.deadline_value, category.deadline_unit)
        life.events[-1]["due_at"] = due
        row.update(unit_id=unit_id, disputed=False, dispatched_at=at, due_at=due)
    _work(rnd, life, step, people.handler[unit_id], office, calendar, category, now)
    return life


def _work(rnd, life: Life, step, handler: User, office: User, calendar, category, now) -> None:
    """The unit's part: start, perhaps ask for more time, rectify (mostly in time), then the office checks."""
    row = life.row
    span = row["due_at"] - row["dispatched_at"]
    pace = rnd.random()
    # most units finish within the limit; some run late; a few sit on it until the inspection finds them
    share = (
        rnd.uniform(0.15, 0.9) if pace < 0.7 else rnd.uniform(1.1, 3.0) if pace < 0.85 else rnd.uniform(4, 40)
    )
    if rnd.random() < 0.75 and not step(Action.start, Status.in_progress, handler, span * share * 0.2):
        return
    if rnd.random() < 0.04:
        if not step(Action.extend, row["status"], handler, span * share * 0.3):
            return
        row["extension_pending"] = True
        if rnd.random() < 0.67:
            due = calendar.add_work_hours(row["due_at"], 2 * calendar.day_hours)
            if not step(Action.grant_extension, row["status"], office, _hours(rnd, 1, 8), due_at=due):
                return
            row["due_at"] = due
        elif not step(Action.refuse_extension, row["status"], office, _hours(rnd, 1, 8)):
            return
        row["extension_pending"] = False
    finish = row["dispatched_at"] + span * share
    if not step(
        Action.rectify, Status.rectified, handler, max(finish - life.events[-1]["at"], timedelta(minutes=20))
    ):
        return
    row["rectified_at"] = life.events[-1]["at"]
    _verify_or_reopen(rnd, life, step, office, None, calendar, category, now, handler)


def _verify_or_reopen(rnd, life, step, office, people, calendar, category, now, handler=None) -> None:
    """The office checks on site: 8% fail and go back (返工), the rest close."""
    row = life.row
    for _ in range(3):
        if rnd.random() >= 0.08:
            break
        if not step(Action.reopen, Status.in_progress, office, _hours(rnd, 2, 48)):
            return
        row.update(reopen_count=row["reopen_count"] + 1, rectified_at=None)
        if row["due_at"] is None:  # an on-the-spot fix that failed: the spot's unit takes it, clock running
            row["due_at"] = calendar.due_at(
                life.events[-1]["at"], category.deadline_value, category.deadline_unit
            )
            life.events[-1]["due_at"] = row["due_at"]
        fixer = handler or (people.handler.get(row["unit_id"]) if people else None)
        if fixer is None or not step(Action.rectify, Status.rectified, fixer, _hours(rnd, 3, 40)):
            return
        row["rectified_at"] = life.events[-1]["at"]
    if step(Action.verify, Status.closed, office, _hours(rnd, 2, 96)):
        row["closed_at"] = life.events[-1]["at"]


def _number(session: Session, lives: list[Life], timezone: str) -> None:
    """Refs in order of creation, after any the ref counter already handed out; the counter moved on."""
    last = dict(session.execute(text('SELECT year, "last" FROM ref_counter')).all())
    for life in lives:
        year = life.row["created_at"].astimezone(ZoneInfo(timezone)).year
        last[year] = last.get(year, 0) + 1
        life.row["ref"] = f"{year}-{last[year]:06d}"
    for year, number in last.items():
        session.execute(
            text(
                'INSERT INTO ref_counter (year, "last") VALUES (:y, :n) '
                'ON CONFLICT (year) DO UPDATE SET "last" = excluded."last"'
            ),
            {"y": year, "n": number},
        )


def _merge_some(rnd: random.Random, lives: list[Life]) -> None:
    """About 1.5% of reports duplicate an earlier one of the same category nearby: the office merges them."""
    earlier: dict[str, list[Life]] = {}
    for life in lives:
        row = life.row
        twins = [
            e
            for e in earlier.get(row["category"], [])
            if abs(e.row["lat"] - row["lat"]) < 0.0008
            and abs(e.row["lon"] - row["lon"]) < 0.001
            and row["created_at"] - e.row["created_at"] < timedelta(days=10)
        ]
        if twins and len(life.events) > 1 and not row["fixed_on_site"] and rnd.random() < 0.12:
            kept = twins[-1]
            merge = dict(
                life.events[1], action=Action.merge, to_status=Status.merged, unit_id=None, due_at=None
            )
            merge["note"] = f"与{kept.row['ref']}重复"
            life.events[1:] = [merge]
            row.update(
                status=Status.merged,
                duplicate_of=kept.row["id"],
                updated_at=merge["at"],
                unit_id=row["proposed_unit_id"],
                dispatched_at=None,
                due_at=None,
                rectified_at=None,
                closed_at=None,
                reopen_count=0,
                disputed=False,
                extension_pending=False,
            )
        earlier.setdefault(row["category"], []).append(life)


def _write(session: Session, lives: list[Life]) -> None:
    """Three bulk inserts: issues, their zones, their events."""
    issues, zones, events = [], [], []
    for life in lives:
        row = life.row
        row["version"] = len(life.events)
        row["content_hash"] = hashlib.sha256(f"history:{row['id']}".encode()).hexdigest()
        issues.append(row)
        zones += life.zones
        events += [{"issue_id": row["id"], "seq": seq, **event} for seq, event in enumerate(life.events, 1)]
    session.execute(insert(Issue), issues)
    session.execute(insert(IssueZone), zones)
    session.execute(insert(IssueEvent), events)
