"""A local stand-in for the three platforms' robots (127.0.0.1 only): it checks signatures the way each
platform documents, and can be told to fail, hang, or say "too fast"."""

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

# how each platform says "ok", "bad signature" and "too fast" (all with HTTP 200)
OK = {
    "wecom": {"errcode": 0, "errmsg": "ok"},
    "dingtalk": {"errcode": 0, "errmsg": "ok"},
    "feishu": {"code": 0, "msg": "success", "data": {}},
}
BAD_SIGN = {
    "dingtalk": {"errcode": 310000, "errmsg": "sign not match"},
    "feishu": {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"},
}
TOO_FAST = {
    "wecom": {"errcode": 45009, "errmsg": "api freq out of limit"},
    "dingtalk": {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"},
    "feishu": {"code": 11232, "msg": "frequency limited"},
}
REFUSED = {
    "wecom": {"errcode": 93000, "errmsg": "invalid webhook url"},
    "dingtalk": {"errcode": 300001, "errmsg": "token is not exist"},
    "feishu": {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"},
}


def expected_dingtalk_sign(secret: str, timestamp_ms: str) -> str:
    """Independently of app.notify: HMAC-SHA256(key=secret, msg=timestamp + '\\n' + secret), Base64."""
    mac = hmac.HMAC(secret.encode("utf-8"), digestmod="sha256")
    mac.update(f"{timestamp_ms}\n{secret}".encode())
    return base64.b64encode(mac.digest()).decode()


def expected_feishu_sign(secret: str, timestamp_s: str) -> str:
    """Independently of app.notify: HMAC-SHA256(key=timestamp + '\\n' + secret, msg=b''), Base64."""
    mac = hmac.HMAC(f"{timestamp_s}\n{secret}".encode(), digestmod=hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


@dataclass
class Robot:
    kind: str
    secret: str | None = None
    mode: str = "ok"  # ok, fail (HTTP 500), hang, too_fast, refuse
    hang_s: float = 3.0
    received: list[dict] = field(default_factory=list)  # bodies it accepted
    calls: int = 0


class Receiver:
    def __init__(self) -> None:
        self.robots: dict[str, Robot] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                status, body = receiver.handle(self.path, raw)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def robot(self, name: str, kind: str, secret: str | None = None) -> tuple[Robot, str]:
        """A robot and its webhook URL, shaped like the platform's own."""
        robot = self.robots[name] = Robot(kind, secret)
        path = {
            "wecom": f"/cgi-bin/webhook/send?key={name}",
            "dingtalk": f"/robot/send?access_token={name}",
            "feishu": f"/open-apis/bot/v2/hook/{name}",
        }[kind]
        return robot, self.base + path

    def handle(self, path: str, raw: bytes) -> tuple[int, dict]:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        name = (query.get("key") or query.get("access_token") or [parts.path.rsplit("/", 1)[-1]])[0]
        robot = self.robots.get(name)
        if robot is None:
            return 404, {}
        with self.lock:
            robot.calls += 1
        if robot.mode == "fail":
            return 500, {"error": "down"}
        if robot.mode == "hang":
            time.sleep(robot.hang_s)
        if robot.mode == "too_fast":
            return 200, TOO_FAST[robot.kind]
        if robot.mode == "refuse":
            return 200, REFUSED[robot.kind]
        body = json.loads(raw)
        if robot.secret and not self._signed(robot, query, body):
            return 200, BAD_SIGN[robot.kind]
        with self.lock:
            robot.received.append(body)
        return 200, OK[robot.kind]

    @staticmethod
    def _signed(robot: Robot, query: dict, body: dict) -> bool:
        now = time.time()
        if robot.kind == "dingtalk":
            ts = query.get("timestamp", ["0"])[0]
            sign = unquote(query.get("sign", [""])[0])
            fresh = abs(now * 1000 - int(ts)) < 3600 * 1000
            return fresh and hmac.compare_digest(sign, expected_dingtalk_sign(robot.secret, ts))
        ts = str(body.get("timestamp", "0"))
        fresh = abs(now - int(ts)) < 3600
        return fresh and hmac.compare_digest(
            str(body.get("sign", "")), expected_feishu_sign(robot.secret, ts)
        )

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
