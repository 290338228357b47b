"""Patrols (路长制): start, track batches, end; coverage of the unit's road segments; daily figures."""

from app.services.patrols.lifecycle import add_points, end_patrol, start_patrol
from app.services.patrols.query import (
    daily,
    get_patrol,
    list_patrols,
    patrol_track,
    unit_days,
    unpatrolled,
)

__all__ = [
    "add_points",
    "daily",
    "end_patrol",
    "get_patrol",
    "list_patrols",
    "patrol_track",
    "start_patrol",
    "unit_days",
    "unpatrolled",
]
