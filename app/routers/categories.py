"""The problem-category catalogue."""

from fastapi import APIRouter

from app.db import SessionDep
from app.deps import CurrentUser, SettingsDep
from app.models import CategoryPublic
from app.services import categories

router = APIRouter(prefix="/api/v1", tags=["categories"])


@router.get("/categories")
def list_categories(_: CurrentUser, session: SessionDep, settings: SettingsDep) -> list[CategoryPublic]:
    return categories.list_categories(session, settings)
