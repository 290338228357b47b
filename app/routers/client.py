"""What the PWA asks for besides the issues: its settings, and the user's most used categories."""

from fastapi import APIRouter

from app.db import SessionDep
from app.deps import CurrentUser, SettingsDep
from app.models.client import ClientConfig
from app.services.client_config import client_config
from app.services.issues.usage import category_usage

router = APIRouter(prefix="/api/v1", tags=["client"])


@router.get("/client-config")
def get_client_config(_: CurrentUser, session: SessionDep, settings: SettingsDep) -> ClientConfig:
    """The locate rules, the map's tiles and the units: what the phone needs to locate and map offline."""
    return client_config(session, settings)


@router.get("/me/category-usage")
def get_category_usage(user: CurrentUser, session: SessionDep) -> dict[str, int]:
    """How many issues I reported in each category in the last 90 days, most used first."""
    return category_usage(session, user)
