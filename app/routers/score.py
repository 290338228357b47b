"""The unit score (三令制): its rules, a unit's score with every point lost explained, the district ranking."""

from fastapi import APIRouter, Query

from app.db import SessionDep
from app.deps import AdminUser, CurrentUser, OfficeUser, SettingsDep
from app.errors import NotFound
from app.models import Unit
from app.models.base import utcnow
from app.models.score import RankingRow, ScoreRules, ScoreRulesUpdate, UnitScore
from app.services import score

router = APIRouter(prefix="/api/v1/score", tags=["score"])
FROM = Query(default=None, alias="from", description="an ISO date (local); default: this week's Monday")
TO = Query(default=None, alias="to", description="an ISO date (local, included); default: now")


@router.get("/rules")
def get_rules(_: OfficeUser, session: SessionDep) -> ScoreRules:
    return score.get_rules(session)


@router.put("/rules")
def update_rules(data: ScoreRulesUpdate, _: AdminUser, session: SessionDep) -> ScoreRules:
    return score.update_rules(session, data)


@router.get("/ranking")
def ranking(
    _: OfficeUser, session: SessionDep, settings: SettingsDep, start: str | None = FROM, end: str | None = TO
) -> list[RankingRow]:
    now = utcnow()
    return score.ranking(session, settings, *score.period(settings, start, end, now), now)


@router.get("/me")
def my_score(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    start: str | None = FROM,
    end: str | None = TO,
) -> UnitScore:
    """The signed-in unit handler's own unit's score."""
    unit = session.get(Unit, user.unit_id) if user.unit_id else None
    if unit is None:
        raise NotFound("you belong to no unit")
    now = utcnow()
    return score.unit_score(session, settings, user, unit, *score.period(settings, start, end, now), now)


@router.get("/units/{code}")
def unit_score(
    code: str,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    start: str | None = FROM,
    end: str | None = TO,
) -> UnitScore:
    unit = score.unit_named(session, code)
    now = utcnow()
    return score.unit_score(session, settings, user, unit, *score.period(settings, start, end, now), now)
