"""Each fact is defined once; where another place must name every member of it, a test here ties them."""

from app.geo.layers import DEFAULT_PRECEDENCE, LAYERS, Layer
from app.services.exports.issues import STATUS_NAMES
from app.services.issues.refusals import ERROR_OF_KIND
from app.workflow.inputs import RefusalKind
from app.workflow.machine import TRANSITIONS
from app.workflow.rules import ACTIONS
from app.workflow.states import (
    ACCEPTED_STATUSES,
    ASSIGNED_OPEN_STATUSES,
    ENDED_STATUSES,
    FIELD_ROLES,
    OFFICE_ROLES,
    OPEN_STATUSES,
    UNIT_ROLES,
    WORKING_STATUSES,
    Action,
    Role,
    Status,
)


def test_every_role_is_in_exactly_one_group():
    groups = [OFFICE_ROLES, UNIT_ROLES, FIELD_ROLES]
    assert sorted(r for g in groups for r in g) == sorted(Role)


def test_every_status_is_open_or_ended_and_the_groups_nest():
    assert sorted(OPEN_STATUSES + ENDED_STATUSES) == sorted(Status)
    assert set(WORKING_STATUSES) <= set(ASSIGNED_OPEN_STATUSES) <= set(OPEN_STATUSES)
    assert set(ACCEPTED_STATUSES) == {*ASSIGNED_OPEN_STATUSES, Status.closed}


def test_every_action_has_a_rule_and_a_transition():
    assert set(ACTIONS) == set(Action) - {Action.report}
    assert set(TRANSITIONS) == set(ACTIONS)


def test_every_status_has_a_name_in_the_exports():
    assert set(STATUS_NAMES) == set(Status)


def test_the_default_precedence_ranks_every_layer_once():
    assert sorted(DEFAULT_PRECEDENCE) == sorted(LAYERS) == sorted(Layer)


def test_every_kind_of_refusal_is_a_domain_error():
    assert set(ERROR_OF_KIND) == set(RefusalKind)
