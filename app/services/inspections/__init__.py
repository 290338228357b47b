"""Inspections: checklists (versioned per site kind), recording an inspection, reading them, readiness."""

from app.services.inspections.checklists import (
    checklist_public,
    list_checklists,
    put_checklist,
    seed_default_checklists,
    template,
)
from app.services.inspections.create import create_inspection
from app.services.inspections.query import (
    failed_items,
    failed_items_for,
    get_inspection,
    inspection_form,
    latest_by_site,
    list_inspections,
)

__all__ = [
    "checklist_public",
    "create_inspection",
    "failed_items",
    "failed_items_for",
    "get_inspection",
    "inspection_form",
    "latest_by_site",
    "list_checklists",
    "list_inspections",
    "put_checklist",
    "seed_default_checklists",
    "template",
]
