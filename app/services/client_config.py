"""The PWA's settings: the locate rules and the map, so the phone can say whose a point is with no signal."""

from sqlmodel import Session, select

from app.config import Settings
from app.models import Unit
from app.models.client import ClientConfig, UnitName


def client_config(session: Session, settings: Settings) -> ClientConfig:
    units = session.exec(select(Unit).where(Unit.active).order_by(Unit.code)).all()
    return ClientConfig(
        layer_precedence=settings.layer_precedence,
        snap_m=settings.snap_m,
        snap_max_m=settings.snap_max_m,
        rectify_radius_m=settings.rectify_radius_m,
        max_upload_mb=settings.max_upload_mb,
        tile_url=settings.tile_url,
        tile_crs=settings.tile_crs,
        units=[UnitName(code=u.code, name=u.name) for u in units],
    )
