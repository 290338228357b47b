"""Road-chief patrols (路长制): checking a track for fakes, and how much of each road segment it covered.

Pure: numpy and shapely in a local metric frame (app.geo.metric), no HTTP, no database.
"""

from app.patrol.coverage import (
    Coverage,
    covered_lengths,
    distance_m,
    piece_indices,
    track_pieces,
    within,
)
from app.patrol.track import FAKE_FLAGS, Flag, Track, TrackCheck, TrackRules, check_track

__all__ = [
    "FAKE_FLAGS",
    "Coverage",
    "Flag",
    "Track",
    "TrackCheck",
    "TrackRules",
    "check_track",
    "covered_lengths",
    "distance_m",
    "piece_indices",
    "track_pieces",
    "within",
]
