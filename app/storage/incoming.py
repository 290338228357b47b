"""An upload being received: streamed to a temporary file, hashed and size-checked as it arrives."""

import hashlib
import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from app.errors import PayloadTooLarge

# fsync waits on the disk, not the CPU: it runs beside the decoding instead of after it
SYNC_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fsync")


class IncomingFile:
    """A temporary file that refuses to grow past `max_bytes` and knows its size and sha256."""

    def __init__(self, directory: Path, max_bytes: int):
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix="upload-", suffix=".part")
        self.path = Path(name)
        self.max_bytes = max_bytes
        self.size = 0
        self._file = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self._synced: Future[None] | None = None
        self.sha256 = ""  # set by finish()

    def write(self, chunk: bytes) -> None:
        if self.size + len(chunk) > self.max_bytes:
            raise PayloadTooLarge(
                f"the photo is larger than {self.max_bytes / 2**20:g} MB (XUNCHA_MAX_UPLOAD_MB); "
                "send a smaller photo"
            )
        self._file.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    def finish(self) -> None:
        """No more data: fix the hash and start making the bytes durable in the background."""
        self._file.flush()
        self.sha256 = self._hash.hexdigest()
        self._synced = SYNC_POOL.submit(os.fsync, self._file.fileno())

    def wait_durable(self) -> None:
        """Block until the bytes are on disk, then close the file."""
        if self._synced is not None:
            self._synced.result()
            self._synced = None
        self._file.close()

    def discard(self) -> None:
        """Remove the temporary file if it is still there (it is gone once kept)."""
        if self._synced is not None:
            self._synced.exception()  # never close a descriptor an fsync is still using
            self._synced = None
        self._file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> "IncomingFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()
