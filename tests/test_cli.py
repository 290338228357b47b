import json

import pytest
from sqlmodel import select

from app.cli import main
from app.models import Unit, User


def test_create_unit_and_user(database_url, session, capsys):
    assert main(["create-unit", "cgj", "区城管局"]) == 0
    assert (
        main(
            [
                "create-user",
                "li",
                "--password",
                "longenough",
                "--role",
                "unit",
                "--unit",
                "cgj",
                "--name",
                "李科长",
            ]
        )
        == 0
    )
    user = session.exec(select(User).where(User.username == "li")).one()
    assert user.display_name == "李科长"
    assert session.get(Unit, user.unit_id).code == "cgj"
    assert "created user li (unit)" in capsys.readouterr().out


def test_bad_input_exits_non_zero_with_a_clear_error(database_url, capsys):
    assert main(["create-unit", "cgj", "区城管局"]) == 0
    assert main(["create-unit", "cgj", "again"]) == 1
    assert "unit 'cgj' already exists" in capsys.readouterr().err
    assert main(["create-user", "li", "--password", "longenough", "--role", "unit", "--unit", "nope"]) == 1
    assert "unknown unit 'nope'" in capsys.readouterr().err
    assert main(["create-user", "li", "--password", "longenough", "--role", "office"]) == 0
    assert main(["create-user", "li", "--password", "longenough", "--role", "office"]) == 1
    assert "username 'li' is taken" in capsys.readouterr().err
    assert main(["create-user", "x", "--password", "short", "--role", "office"]) == 1
    assert "password" in capsys.readouterr().err


def test_unknown_role_is_refused(database_url, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["create-user", "li", "--password", "longenough", "--role", "mayor"])
    assert exit_.value.code == 2
    assert "invalid choice: 'mayor'" in capsys.readouterr().err


def test_seed_demo_is_idempotent(database_url, session, capsys):
    assert main(["seed-demo"]) == 0
    out = capsys.readouterr().out
    assert "demo_admin" in out and "xuncha-demo" in out
    units = len(session.exec(select(Unit)).all())
    assert main(["seed-demo"]) == 0
    assert "already present" in capsys.readouterr().out
    assert len(session.exec(select(Unit)).all()) == units


def test_openapi_prints_the_api_document_as_json(capsys):
    assert main(["openapi"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "Xuncha 巡查"
    assert "/api/v1/issues" in doc["paths"]
    assert "post" in doc["paths"]["/api/v1/auth/token"]
