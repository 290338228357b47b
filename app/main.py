"""The application: routers, error handling, logging, the built frontend."""

import logging
import time
from collections.abc import Callable
from contextlib import asynccontextmanager

from asgi_correlation_id import CorrelationIdMiddleware, correlation_id
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import __version__
from app.config import Settings, get_settings
from app.db import get_engine
from app.deps import plain_text_request
from app.errors import DomainError, TooManyRequests, Unauthenticated, status_of
from app.frontend import frontend_app, resolve_frontend_dir
from app.logs import configure_logging
from app.middleware.body_limit import BodyLimit
from app.middleware.security_headers import SecurityHeaders, content_security_policy
from app.routers import (
    admin,
    auth,
    calendar,
    categories,
    client,
    directives,
    docs,
    duty,
    events,
    exports,
    health,
    inspections,
    issues,
    messages,
    open311,
    open311_render,
    patrols,
    photos,
    score,
    sessions,
    stats,
    zones,
)
from app.services.messages.worker import start_embedded
from app.storage import get_photo_store

log = logging.getLogger("xuncha.http")
access_log = logging.getLogger("xuncha.access")
ROUTERS = [
    health.router,
    auth.router,
    sessions.router,
    admin.router,
    categories.router,
    client.router,
    zones.router,
    photos.router,
    issues.router,
    inspections.router,
    patrols.router,
    calendar.router,
    stats.router,
    exports.router,
    events.router,
    messages.router,
    directives.router,
    score.router,
    duty.router,
    open311.router,
]
# path prefix -> a renderer of (request, status, detail) for APIs whose error format is not {"detail"}
ERROR_RENDERERS: dict[str, Callable[[Request, int, str], Response]] = {
    "/open311": open311_render.render_error
}


def error_response(
    request: Request, status: int, detail: str, headers: dict | None = None, rule: str | None = None
) -> Response:
    """Every error body is {"detail": ...}, with the "rule" that refused where there is one; under /open311 the
    GeoReport format is used instead."""
    for prefix, render in ERROR_RENDERERS.items():
        if request.url.path.startswith(prefix):
            return render(request, status, detail)
    body = {"detail": detail} if rule is None else {"detail": detail, "rule": rule}
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form"))
        parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        status = status_of(exc)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else None
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after)}
        return error_response(request, status, exc.detail, headers, exc.rule)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, f"internal error; request id {correlation_id.get()}")


class AccessLog:
    """Plain ASGI middleware: one log line per request (method, path, status, duration), under its request id."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            ms = (time.perf_counter() - start) * 1000
            access_log.info("%s %s %d %.1fms", scope["method"], scope["path"], status, ms)


def body_limit_of(settings: Settings) -> Callable[[str, str], tuple[int, str]]:
    """Each route's largest request body and the setting that sets it: a photo, a zone import, or (everything
    else) a small JSON body or form."""

    def limit_of(method: str, path: str) -> tuple[int, str]:
        if method == "POST" and path == "/api/v1/photos":
            return settings.max_upload_bytes + photos.ENVELOPE_BYTES, "XUNCHA_MAX_UPLOAD_MB"
        if method == "POST" and path == "/api/v1/zones/import":
            return settings.max_import_bytes, "XUNCHA_MAX_IMPORT_MB"
        return settings.max_json_bytes, "XUNCHA_MAX_JSON_KB"

    return limit_of


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        log.info("xuncha %s starting on %s", __version__, settings.database_url.split("://")[0])
        # a file older than the longest a body may stream is no upload in progress (in any worker): a crash's
        swept = get_photo_store(settings).sweep_temp(older_than_s=settings.body_timeout_s + 60)
        if swept:
            log.info("removed %d temporary photo files left by an earlier crash", swept)
        worker = start_embedded(get_engine(), settings) if settings.worker_embedded else None
        yield
        if worker is not None:
            thread, stop = worker
            stop.set()
            thread.join(timeout=settings.message_timeout_s + 1)

    app = FastAPI(
        title="Xuncha 巡查",
        version=__version__,
        lifespan=lifespan,
        dependencies=[Depends(plain_text_request)],
        docs_url=None,  # served by app.routers.docs from our own files
        redoc_url=None,
    )
    app.add_middleware(
        BodyLimit,
        limit_of=body_limit_of(settings),
        refuse=error_response,
        idle_s=settings.body_idle_timeout_s,
        total_s=settings.body_timeout_s,
    )
    app.add_middleware(SecurityHeaders, csp=content_security_policy(getattr(settings, "tile_url", "") or ""))
    app.add_middleware(AccessLog)
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID")
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(docs.router)
    docs.mount_assets(app)
    app.router.default = frontend_app(resolve_frontend_dir(settings.frontend_dir))
    return app
