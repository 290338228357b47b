"""A refusal of the workflow as the domain error to raise (errors.STATUS then gives its HTTP status)."""

from app.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from app.workflow.inputs import Refusal, RefusalKind

ERROR_OF_KIND: dict[RefusalKind, type[DomainError]] = {
    RefusalKind.not_visible: NotFound,
    RefusalKind.forbidden: PermissionDenied,
    RefusalKind.conflict: Conflict,
    RefusalKind.invalid: InvalidInput,
}


def refusal_error(refusal: Refusal) -> DomainError:
    return ERROR_OF_KIND[refusal.kind](refusal.detail, rule=refusal.rule)
