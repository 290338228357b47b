"""Domain errors. They know nothing of HTTP; STATUS maps them to status codes in one place."""


class DomainError(Exception):
    """Base of every error a user can cause; its message is shown to the user."""

    def __init__(self, detail: str, rule: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.rule = rule  # the stable name of the rule that refused, where one did (e.g. stale_version)


class BadRequest(DomainError):
    """Malformed input that is not a validation failure of one field."""


class Unauthenticated(DomainError):
    """No valid credentials."""


class PermissionDenied(DomainError):
    """The user is known but may not do this."""


class NotFound(DomainError):
    """No such thing, or one the user may not see."""


class Conflict(DomainError):
    """The request clashes with the current state (a status, a duplicate, a concurrent change)."""


class PayloadTooLarge(DomainError):
    """The upload is larger than allowed."""


class UnsupportedMedia(DomainError):
    """The bytes are not of an accepted type."""


class InvalidInput(DomainError):
    """Well-formed but semantically wrong input (a bad geometry, a missing need, a refused photo)."""


class TooManyRequests(DomainError):
    """Too many attempts (sign-ins) in a while; `retry_after` says in how many seconds to try again."""

    def __init__(self, detail: str, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after


STATUS: dict[type[DomainError], int] = {
    BadRequest: 400,
    Unauthenticated: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
    PayloadTooLarge: 413,
    UnsupportedMedia: 415,
    InvalidInput: 422,
    TooManyRequests: 429,
}


def status_of(error: DomainError) -> int:
    """The status code of an error: that of the nearest class in STATUS."""
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400
