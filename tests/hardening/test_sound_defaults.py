"""Sound defaults: no shipped secret, security headers everywhere, /docs with no internet."""

import re

import pytest

from app.cli import main
from app.config import Settings, get_settings


def test_the_development_secret_is_generated_per_installation_not_shipped(tmp_path, monkeypatch):
    import app.config as config

    assert not hasattr(config, "DEV_SECRET")
    monkeypatch.delenv("XUNCHA_SECRET_KEY", raising=False)
    first = Settings(installation_secret_file=tmp_path / "var" / "secret_key")
    again = Settings(installation_secret_file=tmp_path / "var" / "secret_key")
    other = Settings(installation_secret_file=tmp_path / "elsewhere" / "secret_key")
    assert first.uses_installation_secret and first.secret_key == again.secret_key
    assert other.secret_key != first.secret_key and len(first.secret_key) >= 40
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "xuncha.example"])
def test_serve_on_a_public_address_refuses_the_development_secret(host, monkeypatch, tmp_path, capsys):
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append(k))
    monkeypatch.delenv("XUNCHA_SECRET_KEY", raising=False)
    monkeypatch.setenv("XUNCHA_INSTALLATION_SECRET_FILE", str(tmp_path / "secret_key"))
    get_settings.cache_clear()
    assert main(["serve", "--host", host]) != 0
    assert not started and "XUNCHA_SECRET_KEY" in capsys.readouterr().err
    monkeypatch.setenv("XUNCHA_SECRET_KEY", "s" * 48)
    get_settings.cache_clear()
    assert main(["serve", "--host", host]) == 0 and started


def test_serve_on_loopback_may_use_the_development_secret(monkeypatch, tmp_path):
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append(k))
    monkeypatch.delenv("XUNCHA_SECRET_KEY", raising=False)
    monkeypatch.setenv("XUNCHA_INSTALLATION_SECRET_FILE", str(tmp_path / "secret_key"))
    get_settings.cache_clear()
    assert main(["serve", "--host", "127.0.0.1"]) == 0 and started
    get_settings.cache_clear()


@pytest.mark.parametrize(
    "path", ["/api/v1/me", "/api/v1/nothing", "/open311/v2/services.xml", "/docs", "/openapi.json", "/"]
)
def test_every_response_carries_the_security_headers(client, path):
    r = client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    csp = r.headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",  # Vant's icons: its icon font is a data: URL in its CSS
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp, (directive, csp)


def test_the_csp_lets_map_tiles_come_from_the_tile_host():
    from app.middleware.security_headers import content_security_policy

    csp = content_security_policy("https://{s}.tiles.example.cn/{z}/{x}/{y}.png")
    assert "img-src 'self' data: blob: https://*.tiles.example.cn;" in csp


def test_docs_load_nothing_from_another_host_and_run_no_inline_script(client):
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    assert not re.search(r"<script>(?!</script>)", page.text)  # every script is a file: CSP script-src 'self'
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert "/openapi.json" in client.get("/docs/init.js").text
