"""An inspection's answers checked against the checklist version it was made with."""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ItemSpec:
    code: str
    seq: int
    section: str
    text: str
    category: str


@dataclass(frozen=True, slots=True)
class Answer:
    code: str
    result: str  # pass, fail, na
    photo_ids: tuple[str, ...] = ()


def check_answers(items: Sequence[ItemSpec], answers: Sequence[Answer]) -> list[str]:
    """What is wrong with the answers, said for a person (empty when they are complete and sound): every item
    answered exactly once, no unknown item, a photo for every failure."""
    known = {i.code for i in items}
    problems = []
    codes = [a.code for a in answers]
    seen = set(codes)
    twice = sorted({c for c in seen if codes.count(c) > 1})
    if twice:
        problems.append(f"items: answered more than once: {', '.join(twice)}")
    unknown = sorted({a.code for a in answers} - known)
    if unknown:
        problems.append(f"items: not on this checklist version: {', '.join(unknown)}")
    missing = [i.code for i in items if i.code not in seen]
    if missing:
        problems.append(f"items: not answered: {', '.join(missing)}")
    unproven = [a.code for a in answers if a.result == "fail" and not a.photo_ids]
    if unproven:
        problems.append(f"items: a failed item needs a photo: {', '.join(unproven)}")
    return problems


def pass_share(passed: int, failed: int) -> float | None:
    """Passed over the items that applied; None when none did."""
    applied = passed + failed
    return round(passed / applied, 4) if applied else None
