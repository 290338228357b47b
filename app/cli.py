"""The `xuncha` command."""

import argparse
import ipaddress
import json
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import uvicorn
from pydantic import ValidationError

from app.config import get_settings
from app.db import get_engine, new_session
from app.demo.seed import seed_demo
from app.devcert import lan_address, write_dev_cert
from app.errors import DomainError
from app.geo.crs import Crs
from app.geo.layers import LAYERS
from app.logs import configure_logging
from app.main import create_app
from app.migrate import upgrade
from app.models import Role, UnitCreate, User, UserCreate
from app.services.accounts import create_unit, create_user
from app.services.messages.worker import run_worker
from app.services.open311.keys import create_api_key
from app.services.zones import import_zone_file

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str):
    def register(fn):
        COMMANDS[name] = fn
        return fn

    return register


@command("import-zones")
def cmd_import_zones(args) -> int:
    with new_session() as session:
        result = import_zone_file(session, Path(args.file), args.layer, args.crs)
    print(f"layer {args.layer}: {result.created} created, {result.updated} updated")
    return 0


@command("migrate")
def cmd_migrate(_args) -> int:
    upgrade(get_settings().database_url)
    print("schema at head")
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@command("serve")
def cmd_serve(args) -> int:
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        print("error: HTTPS needs both --ssl-certfile and --ssl-keyfile", file=sys.stderr)
        return 1
    for path in filter(None, (args.ssl_certfile, args.ssl_keyfile)):
        if not Path(path).is_file():
            print(f"error: no file {path} (xuncha dev-cert makes a pair for trying it out)", file=sys.stderr)
            return 1
    if not _is_loopback(args.host) and get_settings().uses_installation_secret:
        print(
            f"error: serving on {args.host} needs a secret of its own: set XUNCHA_SECRET_KEY (e.g. to the output "
            "of `python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`); the generated development "
            "key is for 127.0.0.1 only",
            file=sys.stderr,
        )
        return 2
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=5,  # open live-feed streams must not hold a restart forever
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
    )
    return 0


@command("dev-cert")
def cmd_dev_cert(args) -> int:
    hosts = args.host or ([found] if (found := lan_address()) else [])
    try:
        cert = write_dev_cert(Path(args.dir), hosts)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    lan = next((h for h in cert.names if h not in ("localhost", "127.0.0.1", "::1")), None)
    print(f"wrote {cert.certfile}, {cert.keyfile} and {cert.cafile} (until {cert.not_after:%Y-%m-%d})")
    print(f"valid for: {', '.join(cert.names)}")
    print("serve with:")
    print(
        f"  xuncha serve --host 0.0.0.0 --port 8443 --ssl-certfile {cert.certfile} --ssl-keyfile {cert.keyfile}"
    )
    if lan:
        print(
            f"then open https://{lan}:8443/ on the phone (same Wi-Fi) and accept the certificate warning once"
        )
    else:
        print("then open https://<this machine's LAN address>:8443/ on the phone; name it with --host IP")
    print(f"for the service worker (offline, install) install {cert.cafile} on the phone as a CA certificate")
    return 0


@command("openapi")
def cmd_openapi(_args) -> int:
    """The API's OpenAPI document on stdout, for the frontend's generated types."""
    print(json.dumps(create_app().openapi(), ensure_ascii=False, indent=2))
    return 0


@command("worker")
def cmd_worker(args) -> int:
    """The message worker alone (scheduled work and delivery), until interrupted."""
    settings = get_settings()
    configure_logging(settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        run_worker(get_engine(), settings, stop, once=args.once)
    except KeyboardInterrupt:
        stop.set()
    return 0


@command("seed-demo")
def cmd_seed_demo(_args) -> int:
    with new_session() as session:
        report = seed_demo(session, get_settings())
    print(report)
    return 0


@command("create-unit")
def cmd_create_unit(args) -> int:
    with new_session() as session:
        unit = create_unit(
            session, UnitCreate(code=args.code, name=args.name, kind=args.kind, parent=args.parent)
        )
    print(f"created unit {unit.code} {unit.name}")
    return 0


@command("create-user")
def cmd_create_user(args) -> int:
    data = UserCreate(
        username=args.username,
        password=args.password,
        role=args.role,
        unit=args.unit,
        display_name=args.name or "",
        phone=args.phone,
    )
    with new_session() as session:
        user = create_user(session, data)
    print(f"created user {user.username} ({user.role})")
    return 0


@command("api-key")
def cmd_api_key(args) -> int:
    with new_session() as session:
        row, key = create_api_key(session, args.name, args.user)
        user = session.get(User, row.user_id)
    print(f"api key {row.id} for {row.name!r}, reporting as {user.username}:")
    print(key)
    print("keep it now: only its hash is stored, so it cannot be shown again")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xuncha", description="Xuncha 巡查: field inspection service")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="create or upgrade the schema")
    serve = sub.add_parser("serve", help="serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--ssl-certfile", help="serve HTTPS with this certificate (PEM)")
    serve.add_argument("--ssl-keyfile", help="... and this private key (PEM)")
    dev_cert = sub.add_parser(
        "dev-cert", help="write a self-signed certificate for HTTPS on the LAN (trying the app on a phone)"
    )
    dev_cert.add_argument(
        "--host",
        action="append",
        help="a LAN IP or host name to cover (repeat; default: this machine's LAN IP)",
    )
    dev_cert.add_argument("--dir", default="var", help="where to write dev-cert.pem and dev-key.pem")
    sub.add_parser("openapi", help="print the API's OpenAPI document (JSON) to stdout")
    worker = sub.add_parser("worker", help="deliver group-chat messages and run the scheduled work")
    worker.add_argument("--once", action="store_true", help="one pass: until nothing is due, then exit")
    sub.add_parser("seed-demo", help="load the demo district (idempotent)")
    unit = sub.add_parser("create-unit", help="add a responsible unit")
    unit.add_argument("code")
    unit.add_argument("name")
    unit.add_argument("--kind", default="department")
    unit.add_argument("--parent")
    user = sub.add_parser("create-user", help="add a user")
    user.add_argument("username")
    user.add_argument("--password", required=True)
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--unit")
    user.add_argument("--name")
    user.add_argument("--phone")
    zones = sub.add_parser("import-zones", help="create or update a layer's zones from a GeoJSON file")
    zones.add_argument("file", help="a GeoJSON FeatureCollection")
    zones.add_argument("--layer", required=True, choices=LAYERS)
    zones.add_argument("--crs", default=Crs.wgs84.value, choices=[c.value for c in Crs])
    api_key = sub.add_parser("api-key", help="api keys for Open311 clients")
    api_key_sub = api_key.add_subparsers(dest="api_key_command", required=True)
    key_create = api_key_sub.add_parser("create", help="a key for Open311 POST, printed once")
    key_create.add_argument("name", help="the client's name")
    key_create.add_argument("--user", help="report as this user (default: a new user for the client)")
    for register in EXTRA_PARSERS:
        register(sub)
    return parser


# other modules add their sub-commands here: (subparsers) -> None, and their handler to COMMANDS
EXTRA_PARSERS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DomainError as e:
        print(f"error: {e.detail}", file=sys.stderr)
        return 1
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
        print(f"error: {problems}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
