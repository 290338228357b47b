"""A real HTTP server for the tests that need one: SSE streams, and Open311 clients that speak HTTP."""

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import uvicorn

from app.main import create_app

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, timeout: float = 90) -> None:  # a loaded CI machine starts slowly
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"{base}/api/v1/categories", timeout=1).status_code in (200, 401):
                return
        except httpx2.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"server at {base} did not start")


@pytest.fixture
def live_server(database_url) -> Iterator[str]:
    """The app served by uvicorn in a thread of this process (so it shares this test's database)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base)
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def server_process(database_url):
    """Starts `uvicorn app.main:create_app` as separate processes on this test's database."""
    procs = []

    def start() -> str:
        port = free_port()
        env = {**os.environ, "XUNCHA_DATABASE_URL": database_url}
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        return base

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)
