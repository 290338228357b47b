"""Request bodies limited before anything parses them or signs anyone in: by Content-Length at once, and by
counting the bytes as they stream (a chunked body declares no length), with a read timeout for slow bodies."""

import math
import time
from collections.abc import Callable

import anyio
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# (method, path) -> the largest body it takes, in bytes, and the setting that says so
LimitOf = Callable[[str, str], tuple[int, str]]
# renders an error as the app does everywhere else (the GeoReport format under /open311)
Refuse = Callable[[Request, int, str], Response]


def _size(n: int) -> str:
    return f"{n / 2**20:g} MB" if n >= 2**20 else f"{n / 2**10:g} KB"


class BodyLimit:
    def __init__(self, app: ASGIApp, limit_of: LimitOf, refuse: Refuse, idle_s: float, total_s: float):
        self.app = app
        self.limit_of = limit_of
        self.refuse = refuse
        self.idle_s = idle_s
        self.total_s = total_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, setting = self.limit_of(scope["method"], scope["path"])
        too_large = f"the request body is larger than {_size(limit)}, the most this route takes ({setting})"
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await self.refuse(Request(scope), 413, too_large)(scope, receive, send)
            return
        received = 0
        complete = False
        deadline = time.monotonic() + self.total_s

        async def counted() -> Message:
            nonlocal received, complete
            if complete:  # past the body, receive() only waits for a disconnect (a live feed waits hours)
                return await receive()
            wait = min(self.idle_s, deadline - time.monotonic())
            with anyio.move_on_after(max(wait, 0)) as scope_:
                message = await receive()
            if scope_.cancelled_caught:
                raise HTTPException(
                    408, f"the request body stopped arriving (nothing for {math.ceil(wait)} s)"
                )
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if received > limit:
                    raise HTTPException(413, too_large)
            return message

        await self.app(scope, counted, send)
