"""Site inspections against the evaluation checklist (测评体系). Pure: no HTTP, no database."""

from app.inspection.answers import Answer, ItemSpec, check_answers, pass_share
from app.inspection.checklists import DEFAULT_CHECKLISTS, default_items

__all__ = ["DEFAULT_CHECKLISTS", "Answer", "ItemSpec", "check_answers", "default_items", "pass_share"]
