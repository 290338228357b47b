"""The request each platform gets, its signature checked against the platform's documented algorithm as
implemented independently in tests/messages/receiver.py, and how each platform's answers are read."""

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qs, urlsplit

from app.notify.platforms import ChannelKind, Outgoing, build_request, dingtalk_sign, feishu_sign, read_reply
from tests.messages.receiver import (
    BAD_SIGN,
    OK,
    REFUSED,
    TOO_FAST,
    expected_dingtalk_sign,
    expected_feishu_sign,
)

MESSAGE = Outgoing("【新派遣】2026-000001 暴露垃圾", "地点：人民路", "http://x.test/#/issues/abc")


def test_dingtalk_signature_matches_the_documented_algorithm():
    # a fixed vector computed by hand from the documentation: HMAC-SHA256(secret, "ts\nsecret"), Base64
    secret, ts = "SECabc123", 1700000000000
    raw = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    assert base64.b64encode(raw).decode() == expected_dingtalk_sign(secret, str(ts))
    request = build_request(
        ChannelKind.dingtalk,
        "https://oapi.dingtalk.com/robot/send?access_token=t",
        secret,
        MESSAGE,
        ts / 1000,
    )
    query = parse_qs(urlsplit(request.url).query)
    assert query["access_token"] == ["t"]
    assert query["timestamp"] == [str(ts)]
    assert query["sign"] == [expected_dingtalk_sign(secret, str(ts))]  # URL-decoded back to the Base64
    raw_sign = request.url.split("sign=", 1)[1]
    assert not set(raw_sign) & set("+/=")  # URL-encoded, as the platform requires
    assert dingtalk_sign(secret, ts) == raw_sign
    assert request.json["msgtype"] == "markdown" and request.json["markdown"]["title"] == MESSAGE.title
    assert "[查看详情](http://x.test/#/issues/abc)" in request.json["markdown"]["text"]


def test_feishu_signature_keys_with_timestamp_and_secret_over_an_empty_message():
    secret, ts = "feishu-secret", 1700000000
    request = build_request(
        ChannelKind.feishu, "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret, MESSAGE, ts + 0.9
    )
    assert request.json["timestamp"] == str(ts)
    assert request.json["sign"] == expected_feishu_sign(secret, str(ts)) == feishu_sign(secret, ts)
    # DingTalk's arrangement (key and message the other way round) gives another signature
    assert request.json["sign"] != expected_dingtalk_sign(secret, str(ts))
    assert request.json["msg_type"] == "text"
    assert "http://x.test/#/issues/abc" in request.json["content"]["text"]


def test_unsigned_channels_carry_no_signature():
    wecom = build_request(
        ChannelKind.wecom, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", None, MESSAGE, 1.0
    )
    assert wecom.url.endswith("key=k") and wecom.json["msgtype"] == "markdown"
    assert "sign" not in build_request(ChannelKind.feishu, "https://f/hook/x", None, MESSAGE, 1.0).json


def test_replies_are_read_from_the_body_not_the_status():
    for kind in ChannelKind:
        assert read_reply(kind, 200, json.dumps(OK[kind])).ok
        refused = read_reply(kind, 200, json.dumps(REFUSED[kind]))
        code = REFUSED[kind].get("errcode", REFUSED[kind].get("code"))
        assert not refused.ok and not refused.throttled and str(code) in refused.error
        assert read_reply(kind, 200, json.dumps(TOO_FAST[kind])).throttled
    assert not read_reply(ChannelKind.dingtalk, 200, '{"errcode": 310000, "errmsg": "sign not match"}').ok
    assert not read_reply(ChannelKind.feishu, 200, '{"StatusCode": 19021}').ok
    assert read_reply(ChannelKind.feishu, 200, '{"StatusCode": 0, "StatusMessage": "success"}').ok
    assert not read_reply(ChannelKind.wecom, 502, "bad gateway").ok
    assert not read_reply(ChannelKind.wecom, 200, "<html>").ok
    assert BAD_SIGN  # the receiver's refusals are the platforms' own codes
