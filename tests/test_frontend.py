"""The built PWA at /: index.html, cache rules, the API's paths untouched, a helpful page when not built."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.frontend import IMMUTABLE, resolve_frontend_dir
from app.main import create_app

INDEX = "<!doctype html><title>巡查</title><div id=app></div>"


@pytest.fixture
def dist(tmp_path) -> Path:
    d = tmp_path / "dist"
    (d / "assets").mkdir(parents=True)
    (d / "index.html").write_text(INDEX, encoding="utf-8")
    (d / "sw.js").write_text("self.addEventListener('install', () => {})")
    (d / "registerSW.js").write_text("navigator.serviceWorker.register('/sw.js')")
    (d / "manifest.webmanifest").write_text('{"name": "巡查"}', encoding="utf-8")
    (d / "favicon.ico").write_bytes(b"\x00\x00\x01\x00")
    (d / "assets" / "index-BxY3k9aQ.js").write_text("console.log(1)")
    (d / "assets" / "index-D4f1Qz0c.css").write_text("body{}")
    return d


def _client(monkeypatch, frontend_dir: Path) -> TestClient:
    monkeypatch.setenv("XUNCHA_FRONTEND_DIR", str(frontend_dir))
    get_settings.cache_clear()
    return TestClient(create_app(), raise_server_exceptions=False)


@pytest.fixture
def web(database_url, dist, monkeypatch) -> Iterator[TestClient]:
    with _client(monkeypatch, dist) as c:
        yield c


def test_root_serves_index_html_revalidated(web):
    r = web.get("/")
    assert r.status_code == 200
    assert r.text == INDEX
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-cache"
    assert web.get("/index.html").headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("name", ["sw.js", "registerSW.js", "manifest.webmanifest", "favicon.ico"])
def test_unhashed_files_are_revalidated(web, name):
    r = web.get(f"/{name}")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-cache"


def test_hashed_assets_are_immutable(web):
    r = web.get("/assets/index-BxY3k9aQ.js")
    assert r.status_code == 200 and r.text == "console.log(1)"
    assert r.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert web.get("/assets/index-D4f1Qz0c.css").headers["cache-control"] == IMMUTABLE


def test_the_app_files_are_gzipped_for_a_client_that_accepts_it(web, dist):
    big = "export const words = " + repr(["巡查问题上报"] * 400) + "\n"
    (dist / "assets" / "big-C0ffee12.js").write_text(big, encoding="utf-8")
    r = web.get("/assets/big-C0ffee12.js", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert int(r.headers["content-length"]) < len(big.encode()) / 5
    assert r.text == big  # the client undoes it
    assert r.headers["cache-control"] == IMMUTABLE
    plain = web.get("/assets/big-C0ffee12.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == big


def test_the_api_is_not_gzipped_here(web):
    r = web.get(
        "/openapi.json", headers={"Accept-Encoding": "gzip"}
    )  # tens of KB: the app's rule would zip it
    assert r.status_code == 200 and len(r.content) > 10_000
    assert "content-encoding" not in r.headers


def test_revalidation_answers_304_with_the_same_rule(web):
    etag = web.get("/sw.js").headers["etag"]
    r = web.get("/sw.js", headers={"If-None-Match": etag})
    assert r.status_code == 304
    assert r.headers["cache-control"] == "no-cache"


def test_a_missing_asset_is_404_not_the_app(web):
    assert web.get("/assets/index-OLDHASH1.js").status_code == 404
    assert web.get("/missing.js").status_code == 404


def test_an_unknown_app_path_opens_the_app(web):
    r = web.get("/tasks/123")
    assert r.status_code == 200 and r.text == INDEX
    assert r.headers["cache-control"] == "no-cache"


def test_the_api_wins_over_the_app(web, admin):
    assert web.get("/healthz").status_code == 200
    assert web.get("/docs").status_code == 200
    assert web.get("/openapi.json").json()["info"]["title"] == "Xuncha 巡查"
    assert web.get("/api/v1/me", headers=admin["headers"]).json()["username"] == "admin1"
    assert web.get("/open311/v2/services.json").status_code == 200
    r = web.get("/api/v1/no-such-thing")
    assert r.status_code == 404 and r.json() == {"detail": "Not Found"}
    r = web.get("/open311/v2/nothing.json")
    assert r.status_code == 404 and r.json() == [{"code": 404, "description": "Not Found"}]
    assert web.get("/docs/x").json() == {"detail": "Not Found"}
    assert web.delete("/api/v1/issues", headers=admin["headers"]).status_code == 405


def test_the_app_is_not_served_for_writes(web):
    assert web.post("/", content=b"x").status_code == 405


def test_not_built_says_how_to_build_it(database_url, tmp_path, monkeypatch):
    with _client(monkeypatch, tmp_path / "nowhere") as c:
        r = c.get("/")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
        assert "make run" in r.text and "前端应用尚未构建" in r.text and "not built" in r.text
        assert r.headers["cache-control"] == "no-cache"
        assert c.get("/assets/index-BxY3k9aQ.js").status_code == 404
        assert c.get("/healthz").status_code == 200


def test_a_build_made_while_serving_is_served_at_once(database_url, tmp_path, monkeypatch):
    target = tmp_path / "later"
    with _client(monkeypatch, target) as c:
        assert "make run" in c.get("/").text
        target.mkdir()
        (target / "index.html").write_text(INDEX, encoding="utf-8")
        assert c.get("/").text == INDEX


def test_default_dir_is_frontend_dist_of_the_working_dir_then_of_the_code(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    beside_code = Path(__file__).resolve().parent.parent / "frontend" / "dist"
    assert resolve_frontend_dir(None) == beside_code
    (tmp_path / "frontend" / "dist").mkdir(parents=True)
    assert resolve_frontend_dir(None) == (tmp_path / "frontend" / "dist").resolve()
    assert resolve_frontend_dir(Path("build/web")) == (tmp_path / "build" / "web").resolve()
