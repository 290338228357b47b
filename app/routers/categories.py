"""The problem-category catalogue."""

from fastapi import APIRouter, Request, Response
from pydantic import TypeAdapter

from app.db import SessionDep
from app.deps import CurrentUser, SettingsDep
from app.models import CategoryPublic
from app.routers.etag import cached_response
from app.services import categories

router = APIRouter(prefix="/api/v1", tags=["categories"])


CATALOGUE = TypeAdapter(list[CategoryPublic])


@router.get("/categories", response_model=list[CategoryPublic])
def list_categories(_: CurrentUser, request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The catalogue, with a strong ETag: If-None-Match answers 304 while it is unchanged."""
    body = CATALOGUE.dump_json(categories.list_categories(session, settings))
    return cached_response(request, body, "application/json")
