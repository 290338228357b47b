"""Peak server memory under three attacks, with the cost limits (the defaults) and without them (every limit
set out of reach, as the server was before them), each in a fresh server process so its peak is its own:

- json: 4 concurrent 32 MB JSON bodies to POST /api/v1/issues with no token
- bomb: 4 concurrent uploads of a 70 KB PNG of 9000 x 8000 RGBA pixels (275 MB to decode)
- signin: 12 concurrent wrong-password sign-ins for one user (argon2: 64 MB each)

Prints the server's peak resident memory (VmHWM) per attack and the ratio unlimited / limited.
"""

import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from PIL import Image

HOST = "127.0.0.1"
UNLIMITED = {
    "XUNCHA_MAX_JSON_KB": str(2**21),
    "XUNCHA_MAX_DECODE_MB": str(2**20),
    "XUNCHA_MAX_DECODES": "64",
    "XUNCHA_MAX_PASSWORD_HASHES": "64",
    "XUNCHA_SIGNIN_MAX_FAILURES_USER": str(10**6),
    "XUNCHA_SIGNIN_MAX_FAILURES_ADDRESS": str(10**6),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def png_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (9000, 8000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def attack_json(base: str) -> list[int]:
    body = json.dumps({"category": "env.litter", "description": "x" * (32 * 2**20), "lat": 1, "lon": 1})
    headers = {"Content-Type": "application/json"}
    with ThreadPoolExecutor(4) as pool:
        return list(
            pool.map(
                lambda _: (
                    httpx.post(
                        f"{base}/api/v1/issues", content=body, headers=headers, timeout=120
                    ).status_code
                ),
                range(4),
            )
        )


def sign_in(base: str, password: str) -> httpx.Response:
    return httpx.post(
        f"{base}/api/v1/auth/token", data={"username": "bench", "password": password}, timeout=120
    )


def attack_bomb(base: str) -> list[int]:
    token = sign_in(base, "bench-password-1").json()["access_token"]
    data = png_bomb()
    headers = {"Authorization": f"Bearer {token}"}

    def upload(i: int) -> int:
        files = {"file": (f"{i}.png", data + bytes(i), "image/png")}  # distinct bytes: no dedup shortcut
        return httpx.post(f"{base}/api/v1/photos", files=files, headers=headers, timeout=300).status_code

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(upload, range(4)))


def attack_signin(base: str) -> list[int]:
    with ThreadPoolExecutor(12) as pool:
        return list(pool.map(lambda _: sign_in(base, "wrong-password").status_code, range(12)))


ATTACKS = {"json": attack_json, "bomb": attack_bomb, "signin": attack_signin}


def run(work: Path, attack: str, extra: dict[str, str]) -> tuple[float, float, list[int]]:
    port = free_port()
    env = os.environ | {
        "XUNCHA_DATABASE_URL": f"sqlite:///{work}/bench.db",
        "XUNCHA_MEDIA_DIR": str(work / "media"),
        "XUNCHA_ENV": "development",
        "XUNCHA_INSTALLATION_SECRET_FILE": str(work / "secret_key"),
        **extra,
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--host",
            HOST,
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://{HOST}:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        idle = peak_mb(server.pid)
        codes = ATTACKS[attack](base)
        return idle, peak_mb(server.pid), codes
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="xuncha-bench-limits-"))
    xuncha = str(Path(sys.executable).with_name("xuncha"))
    env = os.environ | {
        "XUNCHA_DATABASE_URL": f"sqlite:///{work}/bench.db",
        "XUNCHA_INSTALLATION_SECRET_FILE": str(work / "secret_key"),
    }
    subprocess.run([xuncha, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run(
        [xuncha, "create-user", "bench", "--password", "bench-password-1", "--role", "grid_worker"],
        env=env,
        check=True,
        capture_output=True,
    )
    print(f"{'attack':8} {'limits':9} {'idle MB':>8} {'peak MB':>8}  statuses")
    peaks: dict[tuple[str, str], float] = {}
    for attack in ATTACKS:
        for label, extra in (("limited", {}), ("unlimited", UNLIMITED)):
            idle, peak, codes = run(work, attack, extra)
            peaks[(attack, label)] = peak
            print(f"{attack:8} {label:9} {idle:8.0f} {peak:8.0f}  {sorted(codes)}", flush=True)
    for attack in ATTACKS:
        limited, unlimited = peaks[(attack, "limited")], peaks[(attack, "unlimited")]
        print(
            f"{attack}: peak {limited:.0f} MB with the limits, {unlimited:.0f} MB without ({unlimited / limited:.1f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
