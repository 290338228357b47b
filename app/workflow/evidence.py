"""The anti-fraud rules for the photos that prove a rectification or its verification.

Pure: the caller resolves each photo to PhotoFacts (distance to the issue, times, whether it re-uses a photo
already attached to an issue); these functions decide.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.workflow.states import Flag

PHOTO_REUSED = "photo_reused"
PHOTO_TOO_FAR = "photo_too_far"
PHOTO_PREDATES_ISSUE = "photo_predates_issue"
PHOTO_NOT_YOURS = "photo_not_yours"
PHOTO_FROM_RECTIFIER = "photo_from_rectifier"
NOBODY = 0  # the uploader of a photo no user is known to have uploaded: nobody may attach it


@dataclass(frozen=True)
class PhotoFacts:
    """What the server knows of one photo named in a request."""

    id: str
    found: bool = True
    distance_m: float | None = None  # from the issue's point; None when the photo has no location
    taken_at: datetime | None = None
    reused_by: str | None = None  # set when it matches a photo already attached: "issue 2026-000012"
    attached_here: bool = False  # already attached to this very issue
    uploader_id: int | None = None  # who uploaded it; NOBODY when no one is known to; None when not asked
    uploader_unit_id: int | None = None  # the uploader's unit


@dataclass(frozen=True)
class EvidenceRules:
    radius_m: float
    clock_skew_s: float


def unknown_photos(photos: tuple[PhotoFacts, ...]) -> str | None:
    """A detail naming the photos the server does not have, or None."""
    missing = [p.id for p in photos if not p.found]
    if not missing:
        return None
    return f"photo_ids: no photo {', '.join(missing)}; upload it first with POST /api/v1/photos"


def foreign_photos(photos: tuple[PhotoFacts, ...], actor_id: int) -> str | None:
    """A detail naming the photos this actor did not upload (only its uploader may attach a photo), or None."""
    foreign = [p.id for p in photos if p.found and p.uploader_id is not None and p.uploader_id != actor_id]
    if not foreign:
        return None
    return (
        f"{PHOTO_NOT_YOURS}: photo {', '.join(foreign)} was uploaded by someone else; "
        "attach only photos you took and uploaded yourself"
    )


def rectifier_photos(photos: tuple[PhotoFacts, ...], rectifier_unit_ids: set[int]) -> str | None:
    """A verification's photos must not come from the unit that rectified: a detail naming them, or None."""
    theirs = [
        p.id for p in photos if p.uploader_unit_id is not None and p.uploader_unit_id in rectifier_unit_ids
    ]
    if not theirs:
        return None
    return (
        f"{PHOTO_FROM_RECTIFIER}: photo {', '.join(theirs)} was uploaded by someone of the unit that "
        "rectified the issue; a verification needs a photo of its own"
    )


def evidence_problems(
    photos: tuple[PhotoFacts, ...], reported_at: datetime, rules: EvidenceRules
) -> list[str]:
    """Every rule a set of rectify/verify photos breaks, each naming the rule and the photo."""
    problems = []
    earliest = reported_at - timedelta(seconds=rules.clock_skew_s)
    for p in photos:
        if p.reused_by or p.attached_here:
            where = p.reused_by or "this issue"
            problems.append(
                f"{PHOTO_REUSED}: photo {p.id} is the same picture as one already attached to {where}; "
                "take a new photo on site"
            )
        if p.distance_m is not None and p.distance_m > rules.radius_m:
            problems.append(
                f"{PHOTO_TOO_FAR}: photo {p.id} was taken {p.distance_m:.0f} m from the issue; "
                f"it must be within {rules.radius_m:.0f} m"
            )
        if p.taken_at is not None and p.taken_at < earliest:
            problems.append(
                f"{PHOTO_PREDATES_ISSUE}: photo {p.id} was taken at {p.taken_at.isoformat()}, before the "
                f"issue was reported at {reported_at.isoformat()}"
            )
    return problems


def evidence_flags(
    photos: tuple[PhotoFacts, ...],
    now: datetime,
    rules: EvidenceRules,
    rectified_at: datetime | None = None,
) -> tuple[str, ...]:
    """The marks an accepted set of photos puts on its event (a photo without place or time is shown so)."""
    flags = []
    if any(p.distance_m is None for p in photos):
        flags.append(Flag.unlocated)
    if any(p.taken_at is None for p in photos):
        flags.append(Flag.untimed)
    if any(p.taken_at and p.taken_at > now + timedelta(seconds=rules.clock_skew_s) for p in photos):
        flags.append(Flag.taken_in_future)
    skew = timedelta(seconds=rules.clock_skew_s)
    if rectified_at and any(p.taken_at and p.taken_at < rectified_at - skew for p in photos):
        flags.append(Flag.taken_before_rectify)
    return tuple(str(f) for f in flags)
