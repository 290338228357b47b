"""Photos: content-addressed evidence with what EXIF and the phone said."""

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class Photo(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    sha256: str = Field(max_length=64, unique=True, index=True)
    phash: str = Field(max_length=16)  # 64-bit perceptual hash, hex
    phash_int: int = Field(sa_type=BigInteger, index=True)  # the same, as a signed 64-bit integer
    mime: str = Field(max_length=32)
    size_bytes: int
    width: int
    height: int
    # EXIF
    exif_lat: float | None = None
    exif_lon: float | None = None
    exif_taken_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    device: str | None = Field(default=None, max_length=200)
    # what the phone said beside the file (already converted to WGS-84)
    form_lat: float | None = None
    form_lon: float | None = None
    form_crs: str | None = Field(default=None, max_length=8)
    accuracy_m: float | None = None
    form_taken_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    uploader_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def lat(self) -> float | None:
        return self.exif_lat if self.exif_lat is not None else self.form_lat

    @property
    def lon(self) -> float | None:
        return self.exif_lon if self.exif_lat is not None else self.form_lon

    @property
    def taken_at(self) -> datetime | None:
        return self.exif_taken_at or self.form_taken_at
