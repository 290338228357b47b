"""Open311 POST with a key from `xuncha api-key create`, and its refusals in the specification's format."""

import hashlib

import pytest
from sqlmodel import select

from app.cli import main
from app.models import ApiKey, Issue, Open311Request, User

V2 = "/open311/v2"
LAT, LON = "28.2150", "112.9550"


@pytest.fixture
def api_key(database_url, capsys) -> str:
    assert main(["api-key", "create", "12345 市民热线"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "only its hash is stored" in out[-1]
    return out[1]


def test_api_key_create_prints_the_key_once_and_stores_only_its_hash(api_key, session):
    row = session.exec(select(ApiKey)).one()
    assert row.name == "12345 市民热线"
    assert row.key_hash == hashlib.sha256(api_key.encode()).hexdigest()
    assert api_key not in {row.key_hash, row.name}
    reporter = session.get(User, row.user_id)
    assert reporter.display_name == "Open311: 12345 市民热线" and reporter.role == "grid_worker"


def test_api_key_create_for_an_existing_user_and_an_unknown_one(database_url, make_user, capsys):
    make_user("hotline", "grid_worker")
    assert main(["api-key", "create", "hotline", "--user", "hotline"]) == 0
    assert "reporting as hotline" in capsys.readouterr().out
    assert main(["api-key", "create", "x", "--user", "nobody"]) == 1
    assert "unknown user 'nobody'" in capsys.readouterr().err


def form(key: str | None, **fields) -> dict:
    data = {"service_code": "env.litter", "lat": LAT, "long": LON, "description": "路边有垃圾"}
    if key is not None:
        data["api_key"] = key
    return {**data, **fields}


@pytest.mark.parametrize("key", [None, "x311_forged"])
def test_a_missing_or_bad_key_is_403(client, api_key, key):
    r = client.post(f"{V2}/requests.json", data=form(key))
    assert r.status_code == 403
    [error] = r.json()
    assert error["code"] == 403 and "api_key" in error["description"]
    r = client.post(f"{V2}/requests.xml", data=form(key))
    assert r.status_code == 403 and b"<errors><error><code>403</code>" in r.content


@pytest.mark.parametrize("what", ["key", "user"])
def test_a_deactivated_key_or_a_key_of_a_deactivated_user_is_403(client, api_key, session, what):
    row = session.exec(select(ApiKey)).one()
    if what == "key":
        row.active = False
        session.add(row)
    else:
        user = session.get(User, row.user_id)
        user.active = False
        session.add(user)
    session.commit()
    r = client.post(f"{V2}/requests.json", data=form(api_key))
    assert r.status_code == 403
    assert r.json() == [{"code": 403, "description": "api_key: not a valid key"}]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"service_code": ""}, "service_code"),
        ({"lat": "", "long": "", "address_string": "人民路 1 号"}, "cannot place an address_string"),
        ({"lat": "", "long": ""}, "location is required"),
        ({"lat": "north"}, "lat"),
        ({"long": "200"}, "long"),
        ({"description": "长" * 4001}, "4000"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
    ],
)
def test_a_bad_post_is_400_and_writes_nothing(client, api_key, session, fields, words):
    r = client.post(f"{V2}/requests.json", data=form(api_key, **fields))
    assert r.status_code == 400, r.text
    assert words in r.json()[0]["description"]
    assert session.exec(select(Issue)).all() == []
    assert session.exec(select(Open311Request)).all() == []


def test_an_unknown_service_is_400(client, api_key, session):
    r = client.post(f"{V2}/requests.json", data=form(api_key, service_code="env.nope"))
    assert r.status_code == 400
    assert "env.nope" in r.json()[0]["description"]
    assert session.exec(select(Open311Request)).all() == []


def test_a_post_creates_a_request_readable_by_id_and_token(client, api_key, session):
    r = client.post(
        f"{V2}/requests.json",
        data=form(api_key, media_url="https://example.org/p/1.jpg", email="a@b.cn", account_id="acc-9"),
    )
    assert r.status_code == 201, r.text
    [made] = r.json()
    assert set(made) == {"service_request_id", "token", "service_notice", "account_id"}
    assert made["account_id"] == "acc-9"
    assert (
        client.get(f"{V2}/tokens/{made['token']}.json").json()[0]["service_request_id"]
        == made["service_request_id"]
    )
    [req] = client.get(f"{V2}/requests/{made['service_request_id']}.json").json()
    assert req["status"] == "open" and req["service_code"] == "env.litter"
    assert req["description"] == "路边有垃圾"
    assert req["media_url"] == "https://example.org/p/1.jpg"
    assert "a@b.cn" not in str(req)  # contact details are kept for the office, never shown
    extra = session.get(Open311Request, made["token"])
    assert extra.email == "a@b.cn"
