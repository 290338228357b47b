"""Photos on the local disk: <root>/<kind>/<ab>/<cd>/<sha256><suffix>, written as temp file + fsync + rename.

A file appears at its address complete or not at all, and is on disk before save() returns, so the database
row written after it can never point at a missing or half-written file. Two folder levels of 256 keep
directories small at millions of photos. Temporary files live in <root>/tmp, on the same filesystem, so
keeping an upload is a rename, not a copy.
"""

import os
import re
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from app.storage.base import Kind
from app.storage.incoming import SYNC_POOL, IncomingFile

SUFFIX: dict[str, str] = {"original": "", "display": ".jpg", "thumb": ".jpg"}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_dirs(directory: Path) -> list[Path]:
    """Create `directory` and its missing parents; return those created (their parents must be synced)."""
    missing = []
    current = directory
    while not current.exists():
        missing.append(current)
        current = current.parent
    directory.mkdir(parents=True, exist_ok=True)
    return missing


class LocalPhotoStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.tmp = self.root / "tmp"

    def path(self, sha256: str, kind: Kind) -> Path:
        if not _SHA256.match(sha256) or kind not in SUFFIX:
            raise ValueError(f"not a photo address: {kind}/{sha256!r}")
        return self.root / kind / sha256[:2] / sha256[2:4] / f"{sha256}{SUFFIX[kind]}"

    def receive(self, max_bytes: int) -> IncomingFile:
        return IncomingFile(self.tmp, max_bytes)

    def sweep_temp(self, older_than_s: float, now: float | None = None) -> int:
        """Remove temporary files a crash left behind (older than any upload still streaming); how many."""
        if not self.tmp.is_dir():
            return 0
        cutoff = (time.time() if now is None else now) - older_than_s
        swept = 0
        for path in self.tmp.glob("*.part"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    swept += 1
            except FileNotFoundError:  # another process swept it first
                pass
        return swept

    def _write_temp(self, data: bytes) -> tuple[Path, int]:
        self.tmp.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="derived-", suffix=".part")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        except BaseException:
            os.close(fd)
            os.unlink(name)
            raise
        return Path(name), fd

    def save(self, sha256: str, original: IncomingFile | None, derived: Mapping[Kind, bytes]) -> None:
        moves: list[tuple[Path, Path]] = []  # (temporary file, address)
        temps: list[tuple[Path, int]] = []
        try:
            for kind, data in derived.items():
                target = self.path(sha256, kind)
                if not target.exists():  # content-addressed: what is there is already these bytes
                    temps.append(self._write_temp(data))
                    moves.append((temps[-1][0], target))
            syncs = [SYNC_POOL.submit(os.fsync, fd) for _, fd in temps]
            if original is not None:
                original.wait_durable()
                target = self.path(sha256, "original")
                if not target.exists():
                    moves.append((original.path, target))
            for sync in syncs:
                sync.result()
            directories: set[Path] = set()
            for temp, target in moves:
                directories.update(created.parent for created in _make_dirs(target.parent))
                os.replace(temp, target)
                directories.add(target.parent)
            for sync in [SYNC_POOL.submit(_fsync_dir, d) for d in directories]:
                sync.result()  # the renames themselves are durable
        finally:
            for temp, fd in temps:
                os.close(fd)
                temp.unlink(missing_ok=True)

    def has(self, sha256: str, kind: Kind) -> bool:
        return self.path(sha256, kind).is_file()

    def size(self, sha256: str, kind: Kind) -> int:
        return self.path(sha256, kind).stat().st_size

    def read(self, sha256: str, kind: Kind, chunk_size: int = 65536) -> Iterator[bytes]:
        with self.path(sha256, kind).open("rb") as f:
            while chunk := f.read(chunk_size):
                yield chunk
