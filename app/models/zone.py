"""Zones in layers (app.geo.layers), each owned by a unit."""

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class Zone(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("layer", "code", name="uq_zone_layer_code"),)

    id: int | None = Field(default=None, primary_key=True)
    layer: str = Field(max_length=16, index=True)
    code: str = Field(max_length=64)
    name: str = Field(max_length=200)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    category: str | None = Field(default=None, max_length=64)  # a site's kind
    width_m: float | None = None  # a road's full width
    geometry: str = Field(sa_column=Column(Text, nullable=False))  # GeoJSON geometry, WGS-84
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ZoneRevision(SQLModel, table=True):
    """One row whose version rises with every zone change, so every process knows to rebuild its index."""

    __tablename__ = "zone_revision"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ZoneImportResult(BaseModel):
    created: int
    updated: int


class MatchPublic(BaseModel):
    """A zone a point lies in (distance_m 0) or was snapped to."""

    layer: str
    code: str
    name: str
    unit: str
    distance_m: float


class LocatePublic(BaseModel):
    """GET /locate: the point in WGS-84, its zones (most specific layer first) and the responsible unit."""

    lat: float
    lon: float
    matches: list[MatchPublic]
    unit: str | None
