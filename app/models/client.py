"""What the PWA needs to locate a point and draw the map on the phone, also offline."""

from pydantic import BaseModel


class UnitName(BaseModel):
    code: str
    name: str


class ClientConfig(BaseModel):
    layer_precedence: list[str]  # which layer's unit gets a point that lies in several
    snap_m: float  # a point outside every zone snaps to the nearest within this
    snap_max_m: float  # how far GPS accuracy may widen snapping
    rectify_radius_m: float  # a rectify or verify photo must be taken this close to the issue
    max_upload_mb: float
    tile_url: str  # a base-map tile URL template ({z}/{x}/{y}); "" means no base tiles
    tile_crs: str  # the tiles' coordinate system: wgs84, gcj02 (AMap, Tencent) or bd09
    units: list[UnitName]  # every active unit: who will get a report
