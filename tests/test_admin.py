from app.models import IssueEvent, Role


def test_admin_creates_lists_and_updates_units(client, admin):
    h = admin["headers"]
    r = client.post(
        "/api/v1/units", json={"code": "jd01", "name": "东风街道办事处", "kind": "street"}, headers=h
    )
    assert r.status_code == 201, r.text
    r = client.post(
        "/api/v1/units",
        json={"code": "sq01", "name": "东风社区", "kind": "community", "parent": "jd01"},
        headers=h,
    )
    assert r.json()["parent"] == "jd01"
    r = client.patch("/api/v1/units/sq01", json={"name": "东风东社区"}, headers=h)
    assert r.status_code == 200
    assert r.json()["name"] == "东风东社区"
    codes = [u["code"] for u in client.get("/api/v1/units", headers=h).json()]
    assert codes == ["jd01", "sq01"]


def test_duplicate_unit_is_409_and_unknown_parent_is_422(client, admin):
    h = admin["headers"]
    client.post("/api/v1/units", json={"code": "a", "name": "A"}, headers=h)
    assert client.post("/api/v1/units", json={"code": "a", "name": "A2"}, headers=h).status_code == 409
    r = client.post("/api/v1/units", json={"code": "b", "name": "B", "parent": "nope"}, headers=h)
    assert r.status_code == 422
    assert r.json()["detail"] == "unknown unit 'nope'"


def test_admin_creates_and_updates_users(client, admin, make_unit):
    make_unit("cgj")
    h = admin["headers"]
    r = client.post(
        "/api/v1/users",
        json={
            "username": "li",
            "password": "longenough",
            "role": "unit",
            "unit": "cgj",
            "display_name": "李科长",
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    r = client.patch(f"/api/v1/users/{uid}", json={"phone": "13800000000"}, headers=h)
    assert r.json()["phone"] == "13800000000"
    assert (
        client.post("/api/v1/auth/token", data={"username": "li", "password": "longenough"}).status_code
        == 200
    )


def test_user_rules(client, admin, make_unit):
    h = admin["headers"]
    base = {"username": "x1", "password": "longenough"}
    r = client.post("/api/v1/users", json={**base, "role": "mayor"}, headers=h)
    assert r.status_code == 422
    assert "role" in r.json()["detail"]
    r = client.post("/api/v1/users", json={**base, "role": "unit"}, headers=h)
    assert r.status_code == 422
    assert r.json()["detail"] == "a unit user needs a unit"
    r = client.post("/api/v1/users", json={**base, "role": "unit", "unit": "ghost"}, headers=h)
    assert r.status_code == 422
    assert client.post("/api/v1/users", json={**base, "role": "office"}, headers=h).status_code == 201
    assert client.post("/api/v1/users", json={**base, "role": "office"}, headers=h).status_code == 409
    r = client.post(
        "/api/v1/users", json={**base, "username": "x2", "password": "short", "role": "office"}, headers=h
    )
    assert r.status_code == 422


def test_deactivating_a_user_keeps_the_row_and_blocks_sign_in(client, admin, make_user, session):
    office = make_user("wang", Role.office)
    uid = office["user"].id
    assert client.delete(f"/api/v1/users/{uid}", headers=admin["headers"]).status_code == 204
    r = client.get(f"/api/v1/users/{uid}", headers=admin["headers"])
    assert r.status_code == 200
    assert r.json()["active"] is False
    assert client.get("/api/v1/me", headers=office["headers"]).status_code == 401
    assert session.query(IssueEvent).count() == 0


def test_only_admin_manages_users_and_office_may_list_units(client, make_user):
    office = make_user("wang", Role.office)
    grid = make_user("zhang", Role.grid_worker)
    r = client.get("/api/v1/users", headers=office["headers"])
    assert r.status_code == 403
    assert "admin" in r.json()["detail"]
    assert client.get("/api/v1/units", headers=office["headers"]).status_code == 200
    assert client.get("/api/v1/units", headers=grid["headers"]).status_code == 403
    r = client.post("/api/v1/units", json={"code": "u", "name": "U"}, headers=office["headers"])
    assert r.status_code == 403


def test_missing_user_is_404(client, admin):
    r = client.get("/api/v1/users/4242", headers=admin["headers"])
    assert r.status_code == 404
    assert r.json() == {"detail": "no user 4242"}
