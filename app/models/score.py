"""The unit score: refused faked evidence (kept as it happened), the rule set's points and category weights."""

from datetime import datetime
from typing import Annotated

import pydantic
from pydantic import BaseModel
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow
from app.workflow.scoring import Rule


class EvidenceRefusal(SQLModel, table=True):
    """A rectify or verify refused because a photo looked faked (photo_reused, photo_too_far)."""

    __tablename__ = "evidence_refusal"
    __table_args__ = (Index("ix_evidence_refusal_unit_at", "unit_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    issue_id: str = Field(foreign_key="issue.id", max_length=36, index=True)
    user_id: int = Field(foreign_key="user.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")  # the user's unit when it tried
    action: str = Field(max_length=16)
    rules: str = Field(max_length=100)  # comma list: photo_reused, photo_too_far
    photo_ids: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ScoreRule(SQLModel, table=True):
    """Points a lapse of this rule costs (absent: the default of app/workflow/scoring.py)."""

    __tablename__ = "score_rule"

    rule: str = Field(primary_key=True, max_length=32)
    points: float


class ScoreCategoryWeight(SQLModel, table=True):
    """How much heavier (or lighter) an issue lapse of this category weighs (absent: 1)."""

    __tablename__ = "score_category_weight"

    category: str = Field(foreign_key="category.code", primary_key=True, max_length=64)
    weight: float


# -- API schemas


class ScoreRules(BaseModel):
    points: dict[Rule, float]
    weights: dict[str, float]  # category code -> weight


class ScoreRulesUpdate(BaseModel):
    points: dict[Rule, Annotated[float, pydantic.Field(ge=0, le=100)]] = {}
    weights: dict[
        str, Annotated[float, pydantic.Field(ge=0, le=10)]
    ] = {}  # a weight of 1 removes the category's entry


class DeductionPublic(BaseModel):
    rule: Rule
    points: float
    at: datetime
    reason: str
    category: str | None
    issue_id: str | None
    issue_ref: str | None
    event_seqs: list[int]  # the issue's events behind it (see the issue's timeline)
    directive_id: int | None
    refusal_id: int | None
    link: str | None  # the issue or directive in the PWA


class UnitScore(BaseModel):
    unit: str
    unit_name: str
    start: datetime
    end: datetime
    base: float
    score: float
    deducted: float
    by_rule: dict[str, float]
    deductions: list[DeductionPublic]


class RankingRow(BaseModel):
    rank: int
    unit: str
    unit_name: str
    score: float
    deducted: float
    lapses: int
