"""calendar: routes to come with their issue."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["calendar"])
