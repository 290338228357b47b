"""The unit score (三令制考核): points deducted per lapse, by a configurable rule set with weights per category.

Pure: the caller gathers the lapses of a period (each naming the events, directive or refusal behind it);
these functions price them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

BASE_SCORE = 100.0


class Rule(StrEnum):
    overdue = "overdue"  # an issue not rectified by its deadline
    reopen = "reopen"  # a rectification that failed its check (返工)
    faked_evidence = "faked_evidence"  # a rectify photo refused as photo_reused or photo_too_far (弄虚作假)
    failed_check = "failed_check"  # a failed checklist item of an inspection
    late_directive = "late_directive"  # a directive not reported done by its deadline
    empty_post = "empty_post"  # a duty post found empty


DEFAULT_POINTS: dict[Rule, float] = {
    Rule.overdue: 2.0,
    Rule.reopen: 1.0,
    Rule.faked_evidence: 5.0,
    Rule.failed_check: 1.0,
    Rule.late_directive: 2.0,
    Rule.empty_post: 2.0,
}
# the rules whose lapse concerns an issue of a category: its weight multiplies the points
BY_CATEGORY = frozenset({Rule.overdue, Rule.reopen, Rule.faked_evidence})


@dataclass(frozen=True)
class Lapse:
    """One thing a unit did wrong, with what proves it."""

    rule: Rule
    unit_id: int
    at: datetime
    reason: str  # for a person: what happened
    category: str | None = None
    issue_id: str | None = None
    issue_ref: str | None = None
    event_seqs: tuple[int, ...] = ()  # the issue's events behind it
    directive_id: int | None = None
    refusal_id: int | None = None


@dataclass(frozen=True)
class Deduction:
    lapse: Lapse
    points: float


@dataclass(frozen=True)
class RuleSet:
    points: Mapping[Rule, float] = field(default_factory=lambda: dict(DEFAULT_POINTS))
    weights: Mapping[str, float] = field(default_factory=dict)  # category code -> weight (default 1)

    def price(self, lapse: Lapse) -> float:
        points = self.points.get(lapse.rule, 0.0)
        if lapse.rule in BY_CATEGORY and lapse.category is not None:
            points *= self.weights.get(lapse.category, 1.0)
        return round(points, 2)


def deductions(lapses: Iterable[Lapse], rules: RuleSet) -> list[Deduction]:
    """Every lapse priced (those a rule prices at 0 left out), oldest first."""
    priced = [Deduction(lapse, rules.price(lapse)) for lapse in lapses]
    return sorted((d for d in priced if d.points > 0), key=lambda d: (d.lapse.at, d.lapse.rule))


def score(found: Iterable[Deduction], base: float = BASE_SCORE) -> float:
    return round(base - sum(d.points for d in found), 2)
