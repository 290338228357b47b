"""Photos: content-addressed evidence with what EXIF and the phone said."""

from datetime import datetime
from typing import Annotated, Literal

import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator, model_validator
from sqlalchemy import BigInteger, event
from sqlmodel import Field, SQLModel

from app.geo.crs import Crs
from app.models.base import UTCDateTime, in_range, utcnow

BAND_BITS = 16
BANDS = 4  # the 64-bit perceptual hash cut into four indexed 16-bit bands, for look-alike search by index


def phash_bands(phash_int: int) -> tuple[int, int, int, int]:
    """The hash's four 16-bit bands, most significant first (as SQL's (phash_int >> 48) & 65535, ...)."""
    unsigned = phash_int & 0xFFFF_FFFF_FFFF_FFFF
    a, b, c, d = ((unsigned >> (BAND_BITS * (BANDS - 1 - i))) & 0xFFFF for i in range(BANDS))
    return a, b, c, d


class Photo(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    sha256: str = Field(max_length=64, unique=True, index=True)
    phash: str = Field(max_length=16)  # 64-bit perceptual hash, hex
    phash_int: int = Field(sa_type=BigInteger, index=True)  # the same, as a signed 64-bit integer
    # phash_bands(phash_int), filled in on every insert: a hash within d bits shares a band within d // 4 bits
    phash_band0: int = Field(default=0, index=True)
    phash_band1: int = Field(default=0, index=True)
    phash_band2: int = Field(default=0, index=True)
    phash_band3: int = Field(default=0, index=True)
    mime: str = Field(max_length=32)
    size_bytes: int
    width: int
    height: int
    # EXIF
    exif_lat: float | None = None
    exif_lon: float | None = None
    exif_accuracy_m: float | None = None  # GPSHPositioningError
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
    def location_accuracy_m(self) -> float | None:
        """The accuracy of the location that lat/lon give (EXIF's when EXIF's location is used)."""
        return self.exif_accuracy_m if self.exif_lat is not None else self.accuracy_m

    @property
    def location_from(self) -> str | None:
        if self.exif_lat is not None:
            return "exif"
        return "form" if self.form_lat is not None else None

    @property
    def taken_at(self) -> datetime | None:
        return self.exif_taken_at or self.form_taken_at

    @property
    def taken_at_from(self) -> str | None:
        if self.exif_taken_at is not None:
            return "exif"
        return "form" if self.form_taken_at is not None else None


@event.listens_for(Photo, "before_insert")
@event.listens_for(Photo, "before_update")
def _fill_bands(_mapper, _connection, photo: Photo) -> None:
    """The bands always follow phash_int, whoever makes the row."""
    photo.phash_band0, photo.phash_band1, photo.phash_band2, photo.phash_band3 = phash_bands(photo.phash_int)


class PhotoPublic(BaseModel):
    id: str
    sha256: str
    width: int  # upright, after EXIF orientation
    height: int
    taken_at: datetime | None
    lat: float | None  # WGS-84
    lon: float | None
    phash: str
    accuracy_m: float | None
    location_from: Literal["exif", "form"] | None
    taken_at_from: Literal["exif", "form"] | None
    mime: str
    size_bytes: int


class PhotoForm(BaseModel):
    """What the phone says beside the file: its position (in `crs`) and clock when the photo was taken."""

    model_config = ConfigDict(allow_inf_nan=False, extra="ignore")

    lat: float | None = pydantic.Field(default=None, ge=-90, le=90)
    lon: float | None = pydantic.Field(default=None, ge=-180, le=180)
    crs: Crs | None = None
    accuracy_m: float | None = pydantic.Field(default=None, ge=0, le=1_000_000)
    taken_at: Annotated[datetime, AfterValidator(in_range)] | None = None  # no zone: XUNCHA_TIMEZONE

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: object) -> object:
        """Phones send empty form fields for what they do not know."""
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _both_or_neither(self) -> "PhotoForm":
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self
