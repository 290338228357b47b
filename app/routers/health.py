"""Liveness and readiness."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.db import get_engine
from app.migrate import schema_state

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz")
def readyz() -> JSONResponse:
    try:
        current, head = schema_state(get_engine())
    except Exception as e:  # the database is unreachable: not ready, and say why
        return JSONResponse(
            {"status": "unavailable", "detail": f"database unreachable: {type(e).__name__}"}, 503
        )
    if current != head:
        return JSONResponse({"status": "unavailable", "detail": f"schema at {current}, head is {head}"}, 503)
    return JSONResponse({"status": "ready", "schema": current})
