"""The real type of an upload, from its first bytes: never from the file name or the client's header."""

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
HEIC = "image/heic"
HEIF = "image/heif"

# the Pillow format that may open each type: nothing else is tried on the bytes
PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", HEIC: "HEIF", HEIF: "HEIF"}
NAME = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", HEIC: "HEIC", HEIF: "HEIF"}
EXTENSION = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", HEIC: ".heic", HEIF: ".heif"}
SNIFF_BYTES = 64

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_HEIF_BRANDS = {b"mif1", b"msf1"}  # the generic image/sequence brands; AVIF also uses them


def _heif_type(head: bytes) -> str | None:
    """An ISO-BMFF `ftyp` box whose brands say HEVC-coded HEIF (not AVIF, which pillow-heif does not read)."""
    size = int.from_bytes(head[0:4], "big")
    if head[4:8] != b"ftyp" or size < 16:
        return None
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    if major in _HEIC_BRANDS:
        return HEIC
    if major in _HEIF_BRANDS or compatible & _HEIF_BRANDS:
        if compatible & _HEIC_BRANDS:
            return HEIC
        if b"avif" not in compatible and major != b"avif":
            return HEIF
    return None


def sniff(head: bytes) -> str | None:
    """The MIME type of an accepted image format that `head` (the first SNIFF_BYTES bytes) starts, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[0:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return _heif_type(head)
