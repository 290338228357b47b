"""open311: routes to come with their issue."""

from fastapi import APIRouter

router = APIRouter(prefix="/open311/v2", tags=["open311"])
