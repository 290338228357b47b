"""Why an upload is not a usable photo, as domain errors (415 or 422)."""

from app.errors import InvalidInput, UnsupportedMedia


class NotAnImage(UnsupportedMedia):
    """The bytes are not a JPEG, PNG, WebP or HEIC/HEIF, whatever the name or header says."""


class TooManyPixels(InvalidInput):
    """More pixels than allowed: a decompression bomb, or a picture far larger than any phone takes."""


class BrokenImage(InvalidInput):
    """The bytes start like an image but cannot be decoded (truncated, corrupt)."""
