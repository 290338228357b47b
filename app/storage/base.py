"""The storage interface photos are kept behind: content-addressed by sha256, every write atomic."""

from collections.abc import Iterator, Mapping
from typing import Literal, Protocol

from app.storage.incoming import IncomingFile

Kind = Literal["original", "display", "thumb"]
KINDS: tuple[Kind, ...] = ("original", "display", "thumb")


class PhotoStore(Protocol):
    """Where photo files live. A file's address is (sha256 of the original, kind); it never changes."""

    def receive(self, max_bytes: int) -> IncomingFile:
        """A temporary file to stream an upload into, next to where it will be kept (so keeping is a rename)."""
        ...

    def save(self, sha256: str, original: IncomingFile | None, derived: Mapping[Kind, bytes]) -> None:
        """Make the original and the derived files durable at their addresses, each all-or-nothing.

        Saving what is already there is harmless (same address, same bytes), so a retry after a crash is too.
        """
        ...

    def has(self, sha256: str, kind: Kind) -> bool: ...

    def read(self, sha256: str, kind: Kind, chunk_size: int = 65536) -> Iterator[bytes]:
        """The file's bytes in chunks (FileNotFoundError when it is missing)."""
        ...

    def size(self, sha256: str, kind: Kind) -> int: ...

    def sweep_temp(self, older_than_s: float) -> int:
        """Remove temporary files left by a crash, older than `older_than_s`; returns how many."""
        ...
