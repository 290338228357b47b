"""Where photo files live: the PhotoStore interface and its local-disk implementation."""

from functools import lru_cache
from pathlib import Path

from app.config import Settings
from app.storage.base import KINDS, Kind, PhotoStore
from app.storage.incoming import IncomingFile
from app.storage.local import LocalPhotoStore


@lru_cache
def _local_store(root: Path) -> LocalPhotoStore:
    return LocalPhotoStore(root)


def get_photo_store(settings: Settings) -> PhotoStore:
    """The store for these settings: the local disk under XUNCHA_MEDIA_DIR."""
    return _local_store(Path(settings.media_dir).resolve())


__all__ = ["KINDS", "IncomingFile", "Kind", "LocalPhotoStore", "PhotoStore", "get_photo_store"]
