"""Creating an issue: the `report` event, and for an on-the-spot fix (立行立改) its `rectify` too."""

from dataclasses import dataclass
from datetime import datetime

from app.workflow.evidence import (
    PhotoFacts,
    evidence_flags,
    evidence_problems,
    foreign_photos,
    unknown_photos,
)
from app.workflow.inputs import Actor, Context, EventDraft, Refusal, RefusalKind, RefusalRule, Transition
from app.workflow.states import FIELD_ROLES, Action, Flag, Status


@dataclass(frozen=True)
class Report:
    """A new issue as the reporter sends it, its photos resolved."""

    photos: tuple[PhotoFacts, ...]
    note: str = ""
    fixed_on_site: bool = False
    after_photos: tuple[PhotoFacts, ...] = ()
    found_at: datetime | None = None  # when the problem was seen: the earliest time on its photos


def report(actor: Actor, new: Report, ctx: Context) -> Transition | Refusal:
    """The events that create an issue: `report`, and for an on-the-spot fix (立行立改) its `rectify` too.

    A plain report may come without photos (an Open311 client sends none); the API's own body schema
    (IssueReport) asks the phone for one.
    """
    if new.fixed_on_site and actor.role not in FIELD_ROLES:
        return Refusal(
            RefusalKind.forbidden,
            RefusalRule.role,
            f"fixed_on_site is for grid workers and road chiefs; you are {actor.role}",
        )
    if new.fixed_on_site and not new.photos:
        return Refusal(
            RefusalKind.invalid,
            RefusalRule.needs_photos,
            "photo_ids: an on-the-spot fix needs a photo taken before the fix",
        )
    missing = unknown_photos(new.photos + new.after_photos)
    if missing:
        return Refusal(RefusalKind.invalid, RefusalRule.unknown_photo, missing)
    foreign = foreign_photos(new.photos + new.after_photos, actor.id)
    if foreign:
        return Refusal(RefusalKind.invalid, RefusalRule.photo_not_yours, foreign)
    if new.after_photos and not new.fixed_on_site:
        return Refusal(
            RefusalKind.invalid,
            RefusalRule.unused_field,
            "after_photo_ids: only an on-the-spot fix (fixed_on_site) has them",
        )
    report_event = EventDraft(
        action=Action.report,
        from_status=None,
        to_status=Status.reported,
        note=new.note,
        photo_ids=tuple(p.id for p in new.photos),
        photo_role="before" if new.fixed_on_site else "report",
        flags=evidence_flags(new.photos, ctx.now, ctx.evidence),
    )
    if not new.fixed_on_site:
        return Transition((report_event,), {"status": Status.reported})
    if not new.after_photos:
        return Refusal(
            RefusalKind.invalid,
            RefusalRule.needs_photos,
            "after_photo_ids: an on-the-spot fix needs a photo taken after the fix",
        )
    problems = evidence_problems(new.after_photos, new.found_at or ctx.now, ctx.evidence)
    if problems:
        return Refusal(RefusalKind.invalid, RefusalRule(problems[0].split(":", 1)[0]), "; ".join(problems))
    fix_event = EventDraft(
        action=Action.rectify,
        from_status=Status.reported,
        to_status=Status.rectified,
        note="立行立改",
        photo_ids=tuple(p.id for p in new.after_photos),
        photo_role="after",
        flags=(Flag.fixed_on_site.value, *evidence_flags(new.after_photos, ctx.now, ctx.evidence)),
    )
    changes = {
        "status": Status.rectified,
        "fixed_on_site": True,
        "dispatched_at": ctx.now,
        "rectified_at": ctx.now,
    }
    return Transition((report_event, fix_event), changes)
