"""A self-signed certificate for trying the app from a phone on the LAN over HTTPS (development only).

Phones give a web page the camera's position and a service worker only in a secure context: https, or
http://localhost on the phone itself. A LAN address over plain http is neither.
"""

import ipaddress
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALID_DAYS = 397  # the longest validity browsers accept for a server certificate


@dataclass(frozen=True)
class DevCert:
    certfile: Path
    keyfile: Path
    cafile: Path  # the authority that signed it: install this one on a phone to trust the server
    names: tuple[str, ...]
    not_after: datetime


def lan_address() -> str | None:
    """This machine's address on its LAN (the one a default route leaves by), or None; sends nothing."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, only picks the outgoing interface
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def _alt_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _builder(subject: x509.Name, issuer: x509.Name, key, now: datetime, ca: bool) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
    )


def _pem_key(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def write_dev_cert(directory: Path, hosts: list[str], now: datetime | None = None) -> DevCert:
    """Writes dev-ca.pem (a throwaway authority to trust on the phone; its key is never kept, so it signs
    nothing else), dev-cert.pem and dev-key.pem (the server's, signed by it) for localhost, 127.0.0.1, ::1 and
    `hosts`. EC P-256 keys."""
    now = now or datetime.now(UTC)
    for host in hosts:
        if not host or any(c.isspace() or c == "/" for c in host):
            raise ValueError(f"{host!r} is neither an IP address nor a host name")
    names = tuple(dict.fromkeys(["localhost", "127.0.0.1", "::1", *hosts]))
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Xuncha development CA {now:%Y-%m-%d}")])
    ca_cert = (
        _builder(ca_name, ca_name, ca_key, now, ca=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Xuncha development")])
    cert = (
        _builder(server_name, ca_name, key, now, ca=False)
        .add_extension(x509.SubjectAlternativeName([_alt_name(h) for h in names]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cafile, certfile, keyfile = (
        directory / "dev-ca.pem",
        directory / "dev-cert.pem",
        directory / "dev-key.pem",
    )
    keyfile.touch(mode=0o600)
    keyfile.chmod(0o600)
    keyfile.write_bytes(_pem_key(key))
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    cafile.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return DevCert(certfile, keyfile, cafile, names, now + timedelta(days=VALID_DAYS))
