"""HTTPS for a phone on the LAN: xuncha dev-cert writes a self-signed pair, xuncha serve takes it."""

import ipaddress
import os
import ssl
import stat
import subprocess
import sys
import time

import httpx
from cryptography import x509

from app import cli
from app.cli import main
from app.devcert import write_dev_cert
from tests.dashboard.live import ROOT, free_port

SERVE = [sys.executable, "-m", "app.cli", "serve"]


def _alt_names(certfile) -> tuple[set[str], set[str]]:
    cert = x509.load_pem_x509_certificate(certfile.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    ips = {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
    return ips, set(san.get_values_for_type(x509.DNSName))


def test_dev_cert_covers_localhost_and_the_lan_addresses(tmp_path, capsys):
    assert main(["dev-cert", "--host", "192.168.1.23", "--host", "xuncha.lan", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    certfile, keyfile = tmp_path / "dev-cert.pem", tmp_path / "dev-key.pem"
    ips, dns = _alt_names(certfile)
    assert ips == {"127.0.0.1", "::1", "192.168.1.23"} and dns == {"localhost", "xuncha.lan"}
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    assert f"--ssl-certfile {certfile} --ssl-keyfile {keyfile}" in out
    assert "https://192.168.1.23:8443/" in out
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certfile, keyfile)  # the pair matches and Python's TLS (uvicorn's) takes it
    ca = x509.load_pem_x509_certificate((tmp_path / "dev-ca.pem").read_bytes())
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert x509.load_pem_x509_certificate(certfile.read_bytes()).issuer == ca.subject
    assert "dev-ca.pem on the phone as a CA certificate" in out
    assert not list(tmp_path.glob("*ca*key*"))  # the authority's key is never written


def test_dev_cert_without_hosts_takes_this_machines_lan_address(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "lan_address", lambda: "10.0.0.7")
    assert main(["dev-cert", "--dir", str(tmp_path)]) == 0
    ips, _ = _alt_names(tmp_path / "dev-cert.pem")
    assert "10.0.0.7" in ips
    assert "https://10.0.0.7:8443/" in capsys.readouterr().out


def test_dev_cert_refuses_a_bad_host(tmp_path, capsys):
    assert main(["dev-cert", "--host", "not a host", "--dir", str(tmp_path)]) == 1
    assert "neither an IP address nor a host name" in capsys.readouterr().err


def test_a_dev_cert_names_ipv6_addresses_as_ip(tmp_path):
    cert = write_dev_cert(tmp_path, ["fd00::5"])
    ips, _ = _alt_names(cert.certfile)
    assert str(ipaddress.ip_address("fd00::5")) in ips


def test_serve_passes_the_certificate_to_uvicorn(tmp_path, monkeypatch):
    cert = write_dev_cert(tmp_path, [])
    seen = {}
    monkeypatch.setattr(cli.uvicorn, "run", lambda *a, **kw: seen.update(kw))
    monkeypatch.setenv("XUNCHA_SECRET_KEY", "s" * 48)  # 0.0.0.0 refuses the generated development key
    cli.get_settings.cache_clear()
    args = [
        "serve",
        "--host",
        "0.0.0.0",
        "--ssl-certfile",
        str(cert.certfile),
        "--ssl-keyfile",
        str(cert.keyfile),
    ]
    assert main(args) == 0
    assert seen["ssl_certfile"] == str(cert.certfile) and seen["ssl_keyfile"] == str(cert.keyfile)
    assert seen["host"] == "0.0.0.0"
    assert main(["serve"]) == 0 and seen["ssl_certfile"] is None


def test_serve_refuses_half_a_pair_or_a_missing_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli.uvicorn, "run", lambda *a, **kw: None)
    assert main(["serve", "--ssl-certfile", str(tmp_path / "c.pem")]) == 1
    assert "both --ssl-certfile and --ssl-keyfile" in capsys.readouterr().err
    assert (
        main(["serve", "--ssl-certfile", str(tmp_path / "c.pem"), "--ssl-keyfile", str(tmp_path / "k")]) == 1
    )
    assert "no file" in capsys.readouterr().err


def test_xuncha_serve_answers_https_with_the_dev_cert(database_url, tmp_path):
    cert = write_dev_cert(tmp_path, [])
    port = free_port()
    proc = subprocess.Popen(
        [
            *SERVE,
            "--port",
            str(port),
            "--ssl-certfile",
            str(cert.certfile),
            "--ssl-keyfile",
            str(cert.keyfile),
        ],
        cwd=ROOT,
        env={**os.environ, "XUNCHA_DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"https://localhost:{port}/healthz", verify=ssl_context(cert.cafile), timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        assert r.status_code == 200
        assert r.url.scheme == "https"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def ssl_context(cafile) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cafile))
