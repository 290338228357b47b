"""What each platform's group robot expects and answers, per ../shared/REFERENCE.md; no I/O here."""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote_plus


class ChannelKind(StrEnum):
    wecom = "wecom"
    dingtalk = "dingtalk"
    feishu = "feishu"


@dataclass(frozen=True)
class RateLimit:
    per_minute: int
    per_second: int | None = None


RATE_LIMITS: dict[ChannelKind, RateLimit] = {
    ChannelKind.wecom: RateLimit(per_minute=20),
    ChannelKind.dingtalk: RateLimit(per_minute=20),
    ChannelKind.feishu: RateLimit(per_minute=100, per_second=5),
}
SIGNED = frozenset({ChannelKind.dingtalk, ChannelKind.feishu})
# the codes with which each platform says "too many messages": the channel then rests a while
THROTTLE_CODES: dict[ChannelKind, frozenset[int]] = {
    ChannelKind.wecom: frozenset({45009}),
    ChannelKind.dingtalk: frozenset({130101, 660026}),
    ChannelKind.feishu: frozenset({9499, 11232}),
}


@dataclass(frozen=True)
class Outgoing:
    """A message as written in the outbox: a title, plain lines, and the link to open."""

    title: str
    body: str
    link: str | None = None


@dataclass(frozen=True)
class HttpRequest:
    url: str
    json: dict


@dataclass(frozen=True)
class Reply:
    ok: bool
    error: str | None = None
    throttled: bool = False


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签: HMAC-SHA256 keyed with the secret over "timestamp\\nsecret", Base64, URL-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu: HMAC-SHA256 keyed with "timestamp\\nsecret" over an empty message, Base64."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def _markdown(message: Outgoing) -> str:
    text = f"### {message.title}\n\n" + message.body.replace("\n", "\n\n")
    if message.link:
        text += f"\n\n[查看详情]({message.link})"
    return text


def _plain(message: Outgoing) -> str:
    text = f"{message.title}\n{message.body}"
    return text + (f"\n查看详情: {message.link}" if message.link else "")


def build_request(
    kind: ChannelKind, webhook_url: str, secret: str | None, message: Outgoing, now_s: float
) -> HttpRequest:
    """The POST to make for this message on this channel, signed with the time `now_s` (epoch seconds)."""
    if kind == ChannelKind.wecom:
        return HttpRequest(webhook_url, {"msgtype": "markdown", "markdown": {"content": _markdown(message)}})
    if kind == ChannelKind.dingtalk:
        url = webhook_url
        if secret:
            ts = int(now_s * 1000)
            url += f"{'&' if '?' in url else '?'}timestamp={ts}&sign={dingtalk_sign(secret, ts)}"
        markdown = {"msgtype": "markdown", "markdown": {"title": message.title, "text": _markdown(message)}}
        return HttpRequest(url, markdown)
    body: dict = {"msg_type": "text", "content": {"text": _plain(message)}}
    if secret:
        ts = int(now_s)
        body = {"timestamp": str(ts), "sign": feishu_sign(secret, ts), **body}
    return HttpRequest(webhook_url, body)


def read_reply(kind: ChannelKind, status: int, text: str) -> Reply:
    """Whether the platform took the message: all three answer 200 with an error code in the body."""
    if status == 429:
        return Reply(False, "HTTP 429", throttled=True)
    if status >= 400:
        return Reply(False, f"HTTP {status}: {text[:200]}")
    try:
        body = json.loads(text)
    except ValueError:
        return Reply(False, f"HTTP {status} with a body that is not JSON: {text[:200]}")
    if not isinstance(body, dict):
        return Reply(False, f"unexpected answer: {text[:200]}")
    if kind == ChannelKind.feishu:
        code = body.get("code", body.get("StatusCode"))
        why = body.get("msg", body.get("StatusMessage", ""))
    else:
        code, why = body.get("errcode"), body.get("errmsg", "")
    if code is None:
        return Reply(False, f"answer without an error code: {text[:200]}")
    if code == 0:
        return Reply(True)
    return Reply(False, f"{kind} refused it: {code} {why}"[:500], throttled=code in THROTTLE_CODES[kind])
