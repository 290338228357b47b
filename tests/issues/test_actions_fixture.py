"""The phone's copy of the rules is checked against frontend/tests/fixtures/actions_matrix.json (actions.test.ts);
this keeps that fixture the server's current answer, so a change of app/workflow/rules.py or machine.py that is
not carried to the phone fails here or there."""

import importlib.util
import json
from pathlib import Path

from app.workflow.rules import ACTIONS
from app.workflow.states import Role, Status

SCRIPT = Path(__file__).parents[2] / "frontend" / "tests" / "fixtures" / "dump_actions.py"


def _dump_actions():
    spec = importlib.util.spec_from_file_location("dump_actions", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_phones_fixture_is_the_servers_current_answer():
    dump = _dump_actions()
    fresh = dump.matrix()
    committed = json.loads(dump.OUT.read_text())
    changed = [
        f"{row['status']} unit={row['unit']} proposed={row['proposed_unit']} rectifier={row['rectifier_unit']} "
        f"disputed={row['disputed']} extension_pending={row['extension_pending']} due_at={row['due_at']}"
        for row, old in zip(fresh["issues"], committed["issues"], strict=False)
        if row != old
    ][:5]
    assert fresh == committed, (
        f"{dump.OUT.name} is not what the rules answer now (first differing issue states: {changed}). "
        f"Regenerate it with `{dump.REGENERATE}`, then make the phone's copy (frontend/src/issues/rules.ts) "
        "agree: `cd frontend && npx vitest run tests/actions.test.ts`"
    )


def test_the_fixture_covers_every_role_status_and_action():
    dump = _dump_actions()
    data = json.loads(dump.OUT.read_text())
    assert {a["role"] for a in data["actors"]} == set(Role)
    assert {i["status"] for i in data["issues"]} == set(Status)
    taken = {a for row in data["issues"] for actions in row["actions"] for a in actions}
    assert taken == {a.value for a in ACTIONS}
