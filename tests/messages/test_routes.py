"""The admin's routes for channels and messages: secrets never shown back, other roles refused."""

from app.models import Channel


def test_the_admin_adds_a_channel_and_never_sees_its_secret_again(client, admin, world, session):
    body = {
        "kind": "dingtalk",
        "name": "城管局工作群",
        "secret": "SECverysecret123",
        "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789",
    }
    r = client.post("/api/v1/units/cgj/channels", json=body, headers=admin["headers"])
    assert r.status_code == 201, r.text
    shown = r.json()
    assert shown["has_secret"] is True and "secret" not in shown
    assert "abcdef0123456789" not in shown["webhook_url"] and "access_token=abcd" in shown["webhook_url"]
    assert "SECverysecret123" not in r.text
    listed = client.get("/api/v1/units/cgj/channels", headers=admin["headers"])
    assert [c["id"] for c in listed.json()] == [shown["id"]] and "SECverysecret123" not in listed.text
    stored = session.get(Channel, shown["id"])
    assert stored.secret == "SECverysecret123" and stored.webhook_url == body["webhook_url"]
    r = client.patch(
        f"/api/v1/channels/{shown['id']}", json={"active": False, "secret": ""}, headers=admin["headers"]
    )
    assert r.status_code == 200 and r.json()["active"] is False and r.json()["has_secret"] is False


def test_feishu_url_token_is_masked_and_a_wecom_secret_is_refused(client, admin, world):
    r = client.post(
        "/api/v1/units/cgj/channels",
        headers=admin["headers"],
        json={
            "kind": "feishu",
            "name": "飞书群",
            "webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/0123456789abcdef",
        },
    )
    assert r.status_code == 201 and "0123456789abcdef" not in r.json()["webhook_url"]
    r = client.post(
        "/api/v1/units/cgj/channels",
        headers=admin["headers"],
        json={
            "kind": "wecom",
            "name": "企微群",
            "secret": "x",
            "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        },
    )
    assert r.status_code == 422 and "secret" in r.json()["detail"]
    r = client.post(
        "/api/v1/units/cgj/channels",
        headers=admin["headers"],
        json={"kind": "slack", "name": "x", "webhook_url": "https://example.test/x"},
    )
    assert r.status_code == 422
    r = client.post(
        "/api/v1/units/nope/channels",
        headers=admin["headers"],
        json={"kind": "wecom", "name": "x", "webhook_url": "https://example.test/x"},
    )
    assert r.status_code == 404


def test_a_test_message_is_queued_and_listed(client, admin, world, add_channel):
    channel, _ = add_channel(world.units["cgj"], "grp")
    r = client.post(f"/api/v1/channels/{channel.id}/test", headers=admin["headers"])
    assert r.status_code == 201 and r.json()["status"] == "pending" and r.json()["kind"] == "test"
    listed = client.get("/api/v1/messages?unit=cgj", headers=admin["headers"]).json()
    assert [m["id"] for m in listed] == [r.json()["id"]]
    assert client.get("/api/v1/messages?unit=zjj", headers=admin["headers"]).json() == []
    assert client.get("/api/v1/messages?status=lost", headers=admin["headers"]).status_code == 422
    assert client.post("/api/v1/messages/999/resend", headers=admin["headers"]).status_code == 404


def test_the_routes_are_the_admins_only(client, world, add_channel):
    channel, _ = add_channel(world.units["cgj"], "grp")
    for who in ("office", "unit", "grid"):
        h = world.h(who)
        assert client.get("/api/v1/units/cgj/channels", headers=h).status_code == 403
        assert (
            client.post(
                "/api/v1/units/cgj/channels",
                headers=h,
                json={"kind": "wecom", "name": "x", "webhook_url": "https://example.test/x"},
            ).status_code
            == 403
        )
        assert (
            client.patch(f"/api/v1/channels/{channel.id}", json={"active": False}, headers=h).status_code
            == 403
        )
        assert client.post(f"/api/v1/channels/{channel.id}/test", headers=h).status_code == 403
        assert client.get("/api/v1/messages", headers=h).status_code == 403
        assert client.post("/api/v1/messages/1/resend", headers=h).status_code == 403
    assert client.get("/api/v1/messages").status_code == 401
