"""The unit score (三令制): the lapses of a period gathered from the record, priced by the rule set; a unit's
score with every point lost tied to what caused it, and the district ranking."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from app.config import Settings
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.models import OFFICE_ROLES, Category, Issue, IssueEvent, Role, Unit, User
from app.models.base import utcnow
from app.models.directive import Directive, DirectiveRecipient
from app.models.score import (
    DeductionPublic,
    EvidenceRefusal,
    RankingRow,
    ScoreCategoryWeight,
    ScoreRule,
    ScoreRules,
    ScoreRulesUpdate,
    UnitScore,
)
from app.services.duty import empty_post_lapses
from app.services.inspections.lapses import failed_check_lapses
from app.services.messages.outbox import OFFICE_KIND, issue_link
from app.services.stats.filters import parse_when
from app.workflow.escalation import ESCALATE
from app.workflow.scoring import (
    BASE_SCORE,
    DEFAULT_POINTS,
    Deduction,
    Lapse,
    Rule,
    RuleSet,
    deductions,
    score,
)
from app.workflow.states import WORKING_STATUSES, Action

CLOCK_EVENTS = (Action.accept, Action.reassign, Action.reopen, Action.grant_extension)
MAX_PERIOD = timedelta(days=366)


# -- the rule set


def rule_set(session: Session) -> RuleSet:
    points = dict(DEFAULT_POINTS) | {
        Rule(r.rule): r.points for r in session.execute(select(ScoreRule)).scalars()
    }
    weights = {w.category: w.weight for w in session.execute(select(ScoreCategoryWeight)).scalars()}
    return RuleSet(points, weights)


def get_rules(session: Session) -> ScoreRules:
    rules = rule_set(session)
    return ScoreRules(points=dict(rules.points), weights=dict(rules.weights))


def update_rules(session: Session, data: ScoreRulesUpdate) -> ScoreRules:
    """Sets the points of the rules and the weights of the categories given (all or none)."""
    for code in data.weights:
        if session.get(Category, code) is None:
            raise InvalidInput(f"weights: no category {code!r}")
    for rule, points in data.points.items():
        rule_row = session.get(ScoreRule, rule.value) or ScoreRule(rule=rule.value, points=points)
        rule_row.points = points
        session.add(rule_row)
    for code, weight in data.weights.items():
        weight_row = session.get(ScoreCategoryWeight, code)
        if weight == 1.0:
            if weight_row is not None:
                session.delete(weight_row)
            continue
        weight_row = weight_row or ScoreCategoryWeight(category=code, weight=weight)
        weight_row.weight = weight
        session.add(weight_row)
    session.commit()
    return get_rules(session)


# -- the lapses of a period


def _overdue(
    session: Session, start: datetime, end: datetime, now: datetime, unit_id: int | None
) -> list[Lapse]:
    """Issues whose deadline fell in the period and passed before they were rectified."""
    cutoff = min(end, now)
    query = select(Issue).where(
        Issue.unit_id.is_not(None),
        Issue.due_at >= start,
        Issue.due_at < cutoff,
        or_(
            Issue.status.in_(WORKING_STATUSES),
            and_(Issue.rectified_at.is_not(None), Issue.rectified_at > Issue.due_at),
        ),
    )
    if unit_id is not None:
        query = query.where(Issue.unit_id == unit_id)
    found = []
    for issue in session.execute(query).scalars():
        seqs = (
            session.execute(
                select(IssueEvent.seq)
                .where(
                    IssueEvent.issue_id == issue.id,
                    IssueEvent.due_at == issue.due_at,
                    IssueEvent.action.in_([*CLOCK_EVENTS, ESCALATE]),
                )
                .order_by(IssueEvent.seq)
            )
            .scalars()
            .all()
        )
        late = "仍未整改" if issue.status in WORKING_STATUSES else "逾期整改"
        found.append(
            Lapse(
                Rule.overdue,
                issue.unit_id,
                issue.due_at,
                f"问题 {issue.ref} 超过处置时限（{late}）",
                issue.category,
                issue.id,
                issue.ref,
                tuple(seqs),
            )
        )
    return found


def _reopens(session: Session, start: datetime, end: datetime, unit_id: int | None) -> list[Lapse]:
    """Reopens (返工) in the period, each charged to the unit whose rectification failed."""
    found = []
    reopens = session.execute(
        select(IssueEvent, Issue.ref, Issue.category)
        .join(Issue, Issue.id == IssueEvent.issue_id)
        .where(IssueEvent.action == Action.reopen, IssueEvent.at >= start, IssueEvent.at < end)
    ).all()
    for event, ref, category in reopens:
        rectify = session.execute(
            select(IssueEvent)
            .where(
                IssueEvent.issue_id == event.issue_id,
                IssueEvent.action == Action.rectify,
                IssueEvent.seq < event.seq,
            )
            .order_by(IssueEvent.seq.desc())
            .limit(1)
        ).scalar()
        fixer = rectify.actor_unit_id if rectify else None
        if fixer is None or (unit_id is not None and fixer != unit_id):
            continue
        found.append(
            Lapse(
                Rule.reopen,
                fixer,
                event.at,
                f"问题 {ref} 整改未通过核查，返工：{event.note[:100]}",
                category,
                event.issue_id,
                ref,
                (rectify.seq, event.seq),
            )
        )
    return found


def _faked(session: Session, start: datetime, end: datetime, unit_id: int | None) -> list[Lapse]:
    query = (
        select(EvidenceRefusal, Issue.ref, Issue.category)
        .join(Issue, Issue.id == EvidenceRefusal.issue_id)
        .where(
            EvidenceRefusal.action == Action.rectify,
            EvidenceRefusal.unit_id.is_not(None),
            EvidenceRefusal.at >= start,
            EvidenceRefusal.at < end,
        )
    )
    if unit_id is not None:
        query = query.where(EvidenceRefusal.unit_id == unit_id)
    return [
        Lapse(
            Rule.faked_evidence,
            r.unit_id,
            r.at,
            f"问题 {ref} 整改照片被拒（{r.rules}）",
            category,
            r.issue_id,
            ref,
            refusal_id=r.id,
        )
        for r, ref, category in session.execute(query).all()
    ]


def _late_directives(
    session: Session, start: datetime, end: datetime, now: datetime, unit_id: int | None
) -> list[Lapse]:
    query = (
        select(DirectiveRecipient, Directive)
        .join(Directive, Directive.id == DirectiveRecipient.directive_id)
        .where(
            Directive.due_at >= start,
            Directive.due_at < min(end, now),
            or_(DirectiveRecipient.done_at.is_(None), DirectiveRecipient.done_at > Directive.due_at),
        )
    )
    if unit_id is not None:
        query = query.where(DirectiveRecipient.unit_id == unit_id)
    return [
        Lapse(
            Rule.late_directive,
            r.unit_id,
            d.due_at,
            f"指令「{d.title}」{'逾期报告完成' if r.done_at else '逾期未报告完成'}",
            directive_id=d.id,
        )
        for r, d in session.execute(query).all()
    ]


def lapses(
    session: Session, start: datetime, end: datetime, now: datetime, unit_id: int | None = None
) -> list[Lapse]:
    found = _overdue(session, start, end, now, unit_id) + _reopens(session, start, end, unit_id)
    found += _faked(session, start, end, unit_id) + _late_directives(session, start, end, now, unit_id)
    found += empty_post_lapses(session, start, end, now, unit_id)
    found += failed_check_lapses(session, start, end, now, unit_id)
    return found


# -- periods, scores, the ranking


def period(
    settings: Settings, start_text: str | None, end_text: str | None, now: datetime
) -> tuple[datetime, datetime]:
    """From/to (ISO dates, local; `to` included) or, by default, this week so far (from Monday)."""
    tz = ZoneInfo(settings.timezone)
    if start_text:
        start = parse_when(start_text, tz, "from")
    else:
        today = now.astimezone(tz).date()
        start = datetime.combine(today - timedelta(days=today.weekday()), datetime.min.time(), tz)
    end = parse_when(end_text, tz, "to", end=True) if end_text else now
    if end <= start:
        raise InvalidInput("to: must be after from")
    if end - start > MAX_PERIOD:
        raise InvalidInput("from/to: at most a year at a time")
    return start, end


def _public(settings: Settings, d: Deduction) -> DeductionPublic:
    lapse = d.lapse
    link = None
    if lapse.issue_id:
        link = issue_link(settings, lapse.issue_id)
    elif lapse.directive_id:
        link = f"{settings.public_url.rstrip('/')}/#/directives/{lapse.directive_id}"
    return DeductionPublic(
        rule=lapse.rule,
        points=d.points,
        at=lapse.at,
        reason=lapse.reason,
        category=lapse.category,
        issue_id=lapse.issue_id,
        issue_ref=lapse.issue_ref,
        event_seqs=list(lapse.event_seqs),
        directive_id=lapse.directive_id,
        refusal_id=lapse.refusal_id,
        link=link,
    )


def _unit_score(
    settings: Settings, unit: Unit, found: Iterable[Deduction], start: datetime, end: datetime
) -> UnitScore:
    found = list(found)
    by_rule: dict[str, float] = {}
    for d in found:
        by_rule[d.lapse.rule] = round(by_rule.get(d.lapse.rule, 0.0) + d.points, 2)
    value = score(found)
    return UnitScore(
        unit=unit.code,
        unit_name=unit.name,
        start=start,
        end=end,
        base=BASE_SCORE,
        score=value,
        deducted=round(BASE_SCORE - value, 2),
        by_rule=by_rule,
        deductions=[_public(settings, d) for d in found],
    )


def unit_named(session: Session, code: str) -> Unit:
    unit = session.execute(select(Unit).where(Unit.code == code)).scalar()
    if unit is None:
        raise NotFound(f"no unit {code}")
    return unit


def unit_score(
    session: Session,
    settings: Settings,
    user: User,
    unit: Unit,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
) -> UnitScore:
    """One unit's score: the office sees any unit's, a unit's own users their own."""
    if user.role not in OFFICE_ROLES and not (user.role == Role.unit and user.unit_id == unit.id):
        raise PermissionDenied("a unit's score is shown to the office and to that unit's own handlers")
    now = now or utcnow()
    return _unit_score(
        settings, unit, deductions(lapses(session, start, end, now, unit.id), rule_set(session)), start, end
    )


def scored_units(
    session: Session, settings: Settings, start: datetime, end: datetime, now: datetime
) -> list[UnitScore]:
    """Every active unit but the office's, lowest score first (the black list's order), then by code."""
    found = deductions(lapses(session, start, end, now), rule_set(session))
    units = (
        session.execute(select(Unit).where(Unit.active.is_(True), Unit.kind != OFFICE_KIND)).scalars().all()
    )
    scores = [
        _unit_score(settings, u, (d for d in found if d.lapse.unit_id == u.id), start, end) for u in units
    ]
    return sorted(scores, key=lambda s: (s.score, s.unit))


def ranking(
    session: Session, settings: Settings, start: datetime, end: datetime, now: datetime | None = None
) -> list[RankingRow]:
    """The district ranking, best first (ties share a rank)."""
    scores = sorted(
        scored_units(session, settings, start, end, now or utcnow()), key=lambda s: (-s.score, s.unit)
    )
    rows, rank = [], 0
    for n, s in enumerate(scores):
        if n == 0 or s.score != scores[n - 1].score:
            rank = n + 1
        rows.append(
            RankingRow(
                rank=rank,
                unit=s.unit,
                unit_name=s.unit_name,
                score=s.score,
                deducted=s.deducted,
                lapses=len(s.deductions),
            )
        )
    return rows
