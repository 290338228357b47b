"""Settings, read from XUNCHA_* environment variables."""

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, PrivateAttr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.geo.layers import DEFAULT_PRECEDENCE, Layer
from app.workflow.deadlines import parse_periods


def installation_secret(path: Path) -> str:
    """This installation's development key: made once (random, readable by its owner only), then read back."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="XUNCHA_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./var/xuncha.db"
    media_dir: Path = Path("./var/media")
    # empty: a key generated once for this installation into `installation_secret_file`, for development on
    # this machine only (never shipped; `xuncha serve` refuses it on any address but loopback)
    secret_key: str = ""
    installation_secret_file: Path = Path("./var/secret_key")
    access_token_minutes: int = Field(default=60, gt=0)
    session_days: float = Field(default=7, gt=0)  # a sign-in ends after this long without a refresh
    log_level: str = "INFO"
    log_json: bool = False
    frontend_dir: Path | None = None  # the built PWA; default frontend/dist (see app.frontend)
    # where clients reach this server (Open311 discovery's links, the PWA links in group-chat messages:
    # <public_url>/#/issues/<id>); never taken from a request's Host header
    public_url: str = Field(default="http://127.0.0.1:8000", pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$")

    # evidence rules
    rectify_radius_m: float = Field(default=100, gt=0)
    max_upload_mb: float = Field(default=20, gt=0)
    max_image_pixels: int = Field(default=80_000_000, gt=0)
    max_decode_mb: float = Field(default=256, gt=0)  # memory a decode may take (pixels x Pillow's bytes each)
    max_decodes: int = Field(default=2, gt=0)  # images decoded at once; further uploads wait their turn
    timezone: str = "Asia/Shanghai"
    clock_skew_s: int = Field(default=300, ge=0)
    phash_max_distance: int = Field(default=6, ge=0, le=64)

    # the PWA's base map: a tile URL template ("" = none, zones drawn alone) and the tiles' coordinate system
    tile_url: str = ""
    tile_crs: Literal["wgs84", "gcj02", "bd09"] = "gcj02"

    # cost limits: a request body is refused (413) past its route's limit, counted as it streams
    max_json_kb: float = Field(default=256, gt=0)  # every body but a photo's and a zone import's
    max_import_mb: float = Field(default=64, ge=50)  # POST /zones/import: a city's polygons
    body_idle_timeout_s: float = Field(default=30, gt=0)  # no byte of the body for this long: 408
    body_timeout_s: float = Field(default=600, gt=0)  # the whole body must have come by then: 408
    # sign-in: failures per username and per client address within the window, then 429 until they age out
    signin_window_s: float = Field(default=300, gt=0)
    signin_max_failures_user: int = Field(default=5, gt=0)
    signin_max_failures_address: int = Field(default=30, gt=0)
    max_password_hashes: int = Field(default=2, gt=0)  # argon2 takes 64 MB each: at most this many at once

    # geo
    snap_m: float = Field(default=30, ge=0)
    snap_max_m: float = Field(default=100, ge=0)
    zone_check_s: float = Field(default=1.0, ge=0)  # GET /locate re-reads zone_revision at most this often
    layer_precedence: list[Layer] = list(DEFAULT_PRECEDENCE)
    duplicate_radius_m: float = Field(default=30, ge=0)

    # working calendar: Mon-Fri, these periods, in `timezone`
    work_periods: str = "08:30-12:00,13:30-17:30"
    work_weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default=[0, 1, 2, 3, 4], min_length=1
    )  # 0 = Mon

    # dashboard
    hotspot_radius_m: float = Field(default=50, gt=0)
    hotspot_days: int = Field(default=30, gt=0)
    feed_heartbeat_s: float = Field(default=15, gt=0)  # a comment line on an idle live feed

    # inspections: how far outside a site's outline the inspector may stand
    inspection_radius_m: float = Field(default=50, ge=0)

    # patrols (路长制)
    patrol_buffer_m: float = Field(default=30, gt=0)  # a centre-line this close to the track is covered
    patrol_covered_share: float = Field(default=0.8, gt=0, le=1)  # a segment is patrolled that day from here
    patrol_unpatrolled_days: int = Field(default=3, ge=1)  # due days without a patrol before it is listed
    patrol_every_day: bool = False  # segments due every day; by default on the calendar's working days
    patrol_max_speed_kmh: float = Field(default=90, gt=0)
    patrol_max_accuracy_m: float = Field(default=50, gt=0)  # a point less precise is left out
    patrol_max_gap_m: float = Field(default=150, gt=0)  # farther apart, two points are not joined
    patrol_max_gap_s: float = Field(default=120, gt=0)  # ... nor longer apart

    # messages to the units' group chats (app/services/messages)
    worker_embedded: bool = True  # `xuncha serve` runs the message worker in-process
    worker_poll_s: float = Field(default=2.0, gt=0)
    message_timeout_s: float = Field(default=10.0, gt=0)
    message_lease_s: float = Field(default=60.0, gt=0)  # a claimed message another worker may take after this
    message_retry_base_s: float = Field(default=10.0, gt=0)  # retries wait base * 2^attempt ...
    message_retry_max_s: float = Field(default=600.0, gt=0)  # ... at most this long
    message_give_up_h: float = Field(default=48.0, gt=0)  # then the message is marked failed
    due_soon_work_hours: float = Field(default=2.0, ge=0)  # warn this many working hours before the deadline
    escalate_leaders_work_hours: float = Field(
        default=4.0, ge=0
    )  # overdue this long: the unit's leaders (0: off)
    escalate_office_work_hours: float = Field(default=8.0, ge=0)  # overdue this long: the office (0: off)
    checkin_tolerance_m: float = Field(
        default=50.0, ge=0
    )  # a duty check-in this far outside its site is accepted
    checkin_photo_max_age_s: int = Field(default=600, gt=0)  # a check-in photo taken longer ago is not fresh
    checkin_valid_minutes: int = Field(default=120, gt=0)  # a check-in staffs its post this long
    daily_summary_at: str = Field(
        default="17:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$"
    )  # local time, workdays

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r} (an IANA name such as Asia/Shanghai)") from None
        return v

    @field_validator("work_periods")
    @classmethod
    def _periods_parse(cls, v: str) -> str:
        try:
            parse_periods(v)
        except ValueError as exc:
            raise ValueError(f"{exc} (expected HH:MM-HH:MM[,HH:MM-HH:MM...], got {v!r})") from None
        return v

    @field_validator("work_weekdays")
    @classmethod
    def _each_weekday_once(cls, v: list[int]) -> list[int]:
        if len(set(v)) != len(v):
            raise ValueError(f"a weekday named twice: {v}")
        return v

    @field_validator("layer_precedence")
    @classmethod
    def _each_layer_once(cls, v: list[Layer]) -> list[Layer]:
        twice = sorted({layer for layer in v if v.count(layer) > 1})
        if twice:
            raise ValueError(f"layers named twice in precedence: {', '.join(twice)}")
        return v

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> "Settings":
        if self.env == "production" and not self.secret_key:
            raise ValueError("XUNCHA_SECRET_KEY must be set in production")
        if not self.secret_key:
            self.secret_key = installation_secret(self.installation_secret_file)
            self._secret_generated = True
        return self

    _secret_generated: bool = PrivateAttr(default=False)

    @property
    def uses_installation_secret(self) -> bool:
        """True when no XUNCHA_SECRET_KEY was given and the generated development key signs tokens."""
        return self._secret_generated

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 2**20)

    @property
    def max_json_bytes(self) -> int:
        return int(self.max_json_kb * 2**10)

    @property
    def max_import_bytes(self) -> int:
        return int(self.max_import_mb * 2**20)

    @property
    def max_decode_bytes(self) -> int:
        return int(self.max_decode_mb * 2**20)


@lru_cache
def get_settings() -> Settings:
    return Settings()
