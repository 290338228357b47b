"""Strong ETags for what a phone caches for offline use: an unchanged body is answered 304, without it."""

import hashlib

from fastapi import Request, Response

CACHE_CONTROL = "private, no-cache"  # the phone keeps it, but asks each time whether it changed


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def cached_response(request: Request, body: bytes, media_type: str) -> Response:
    """The body with its ETag, or 304 when If-None-Match names that ETag (or is *)."""
    tag = etag_of(body)
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    wanted = [t.strip().removeprefix("W/") for t in request.headers.get("if-none-match", "").split(",")]
    if tag in wanted or "*" in wanted:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
