"""Fuzzing the served API with schemathesis, as two roles (office and grid_worker), on the database
XUNCHA_DATABASE_URL names (default: a scratch SQLite; give a postgresql+psycopg:// server URL to fuzz a scratch
database there), against 127.0.0.1 only. Passes when no request got a 5xx.

`make fuzz` runs it on SQLite and on PostgreSQL (FUZZ_PG, default postgresql+psycopg://postgres@127.0.0.1:5432/test);
FUZZ_EXAMPLES (default 10) bounds the examples per operation, so a run takes minutes, not hours.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from benchmarks.scratch import scratch_postgres, scratch_sqlite

HOST = "127.0.0.1"  # never anywhere else
ROLES = {"office": "demo_office", "grid_worker": "demo_grid"}
# endless or destructive for the run itself: the live feed streams forever; sign-in is throttled by design
EXCLUDE = r"^/api/v1/events/stream$|^/api/v1/auth/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def schemathesis() -> str:
    found = shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))
    if not Path(found).exists():
        raise SystemExit("schemathesis is not installed: pip install 'schemathesis>=4,<5'")
    return found


def fuzz(database_url: str, examples: int) -> int:
    xuncha = str(Path(sys.executable).with_name("xuncha"))
    work = Path(tempfile.mkdtemp(prefix="xuncha-fuzz-"))
    env = os.environ | {
        "XUNCHA_DATABASE_URL": database_url,
        "XUNCHA_MEDIA_DIR": str(work / "media"),
        "XUNCHA_INSTALLATION_SECRET_FILE": str(work / "secret_key"),
        "XUNCHA_SIGNIN_MAX_FAILURES_ADDRESS": "1000000",
    }
    for step in (["migrate"], ["seed-demo"]):
        subprocess.run([xuncha, *step], env=env, check=True, capture_output=True)
    port = free_port()
    base = f"http://{HOST}:{port}"
    log = (work / "server.log").open("w")
    server = subprocess.Popen(
        [xuncha, "serve", "--host", HOST, "--port", str(port)], env=env, stdout=log, stderr=log
    )
    failed = 0
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        for role, username in ROLES.items():
            token = httpx.post(
                f"{base}/api/v1/auth/token", data={"username": username, "password": "xuncha-demo"}
            ).json()["access_token"]
            start = time.perf_counter()
            code = subprocess.call(
                [
                    schemathesis(),
                    "run",
                    f"{base}/openapi.json",
                    "--checks",
                    "not_a_server_error",
                    "--max-examples",
                    str(examples),
                    "--exclude-path-regex",
                    EXCLUDE,
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--request-timeout",
                    "30",
                    "--workers",
                    "1",
                ]
            )
            print(
                f"fuzz as {role} on {database_url.split(':')[0]}: exit {code}, {time.perf_counter() - start:.0f} s"
            )
            failed |= code
        errors = [
            line
            for line in (work / "server.log").read_text().splitlines()
            if " 500 " in line or "Traceback" in line
        ]
        print(f"server 5xx/tracebacks logged: {len(errors)}")
        return 1 if failed or errors else 0
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def main() -> int:
    examples = int(os.environ.get("FUZZ_EXAMPLES", "10"))
    pg = os.environ.get("FUZZ_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    results = []
    with ExitStack() as stack:
        results.append(fuzz(stack.enter_context(scratch_sqlite()), examples))
        if pg:
            results.append(fuzz(stack.enter_context(scratch_postgres(pg, "xuncha_fuzz")), examples))
    return max(results)


if __name__ == "__main__":
    sys.exit(main())
