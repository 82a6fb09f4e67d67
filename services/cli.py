"""``irp``: the operators' and developers' commands.

irp token --scope visits:read --scope visits:write   issue a local access token
irp migrate SERVICE                                  bring SERVICE's database to the newest schema
irp republish SERVICE --since 2026-11-24T10:00Z      re-send SERVICE's outbox events since a moment
irp outbox-status SERVICE                            pending rows and the oldest's age
irp worker SERVICE                                   run SERVICE's relay and consumers without HTTP
irp serve SERVICE --port 8001                        the HTTP server of SERVICE, with its limits
irp office-account add NAME --name "N. Beridze"       an office page account (password: prompt
                                                     or IRP_OFFICE_PASSWORD); remove NAME; list
irp dev                                              the embedded stack (what `make run` starts)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import time
from datetime import datetime

import services
from shared.auth import SCOPES, issue_token
from shared.db import Database
from shared.envelope import as_utc
from shared.settings import load_settings


def _cmd_token(args: argparse.Namespace) -> None:
    settings = load_settings("cli")
    if not settings.jwt_secret:
        raise SystemExit("set IRP_JWT_SECRET (the key the services verify tokens with)")
    scopes = args.scope or list(SCOPES)
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise SystemExit(f"unknown scope(s): {', '.join(unknown)}")
    print(issue_token(settings, args.subject, scopes, args.ttl))


def _cmd_migrate(args: argparse.Namespace) -> None:
    from shared.migrations import upgrade

    settings = load_settings(args.service)
    services.spec(args.service)
    upgrade(services.package(args.service), settings.effective_database_url)
    print(f"{args.service}: database at the newest schema")


def _cmd_revision(args: argparse.Namespace) -> None:
    """Developers: autogenerate a revision against a scratch SQLite database."""
    import tempfile

    from alembic import command

    from shared.migrations import alembic_config, upgrade

    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/scratch.db"
        package = services.package(args.service)
        upgrade(package, url)
        command.revision(alembic_config(package, url), args.message, autogenerate=True)


async def _outbox(service: str):  # type: ignore[no-untyped-def]
    from shared.outbox import Outbox

    settings = load_settings(service)
    spec = services.spec(service)
    if spec.outbox_table is None:
        raise SystemExit(f"{service} publishes no events")
    return Database(settings.effective_database_url), Outbox(service, spec.outbox_table, "")


async def _republish(service: str, since: datetime) -> int:
    db, outbox = await _outbox(service)
    try:
        async with db.unit_of_work() as session:
            result = await session.execute(outbox.republish_since(since))
        return result.rowcount
    finally:
        await db.dispose()


def _cmd_republish(args: argparse.Namespace) -> None:
    since = as_utc(datetime.fromisoformat(args.since))
    count = asyncio.run(_republish(args.service, since))
    print(f"{args.service}: {count} event(s) since {since.isoformat()} queued to be sent again")


async def _outbox_status(service: str) -> tuple[int, object]:
    db, outbox = await _outbox(service)
    try:
        async with db.unit_of_work(write=False) as session:
            return tuple((await session.execute(outbox.pending_stats())).one())  # type: ignore[return-value]
    finally:
        await db.dispose()


def _cmd_outbox_status(args: argparse.Namespace) -> None:
    pending, oldest = asyncio.run(_outbox_status(args.service))
    print(f"{args.service}: {pending} pending, oldest {oldest or '-'}")


async def _worker(service: str) -> None:
    from prometheus_client import start_http_server

    from shared.app import announce_series, build_context, start_workers, stop_workers
    from shared.observability import configure_logging

    settings = load_settings(service)
    configure_logging(service, settings.log_level)
    ctx = build_context(services.spec(service), settings)
    announce_series(ctx)
    if settings.worker_metrics_port:  # the relay's and consumers' metrics, for Prometheus
        start_http_server(settings.worker_metrics_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await start_workers(ctx)
    try:
        await stop.wait()
    finally:
        await stop_workers(ctx)


def _cmd_worker(args: argparse.Namespace) -> None:
    asyncio.run(_worker(args.service))


def _cmd_rebuild(args: argparse.Namespace) -> None:
    from services.reporting.history.rebuild import rebuild

    settings = load_settings("reporting")
    started = time.perf_counter()
    replayed, found = asyncio.run(rebuild(settings.effective_database_url, args.into))
    seconds = time.perf_counter() - started
    print(
        f"reporting: {replayed} event(s) replayed into {args.into} and compared "
        f"in {seconds:.1f} s ({replayed / max(seconds, 1e-9):.0f} events/s)"
    )
    if found:
        print("the rebuilt projections differ from the live ones:\n  " + "\n  ".join(found))
        raise SystemExit(1)
    print("the rebuilt projections equal the live ones")


def _cmd_serve(args: argparse.Namespace) -> None:
    """uvicorn with the settings' limits: request line and headers at most
    ``IRP_MAX_HEADER_BYTES`` (larger: 431/400 by the server), no ``Server`` header."""
    import uvicorn

    settings = load_settings(args.service)
    uvicorn.run(
        f"services.{args.service}.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        access_log=False,
        server_header=False,
        h11_max_incomplete_event_size=settings.max_header_bytes,
        timeout_graceful_shutdown=10,
    )


def _cmd_office_account(args: argparse.Namespace) -> None:
    """The reporting office's accounts for the office page, in reporting's database."""
    import getpass
    import os

    from services.reporting.office import accounts
    from shared.errors import DomainError
    from shared.migrations import upgrade

    settings = load_settings("reporting")
    url = settings.effective_database_url
    upgrade(services.package("reporting"), url)
    db = Database(url)

    async def run() -> None:
        try:
            if args.action == "add":
                password = os.environ.get("IRP_OFFICE_PASSWORD") or getpass.getpass("password: ")
                await accounts.add_account(db, args.username, args.name or "", password)
                print(f"account {args.username} added")
            elif args.action == "remove":
                await accounts.remove_account(db, args.username)
                print(f"account {args.username} removed, its sessions ended")
            else:
                for account in await accounts.accounts(db):
                    print(f"{account.username}\t{account.display_name}")
        finally:
            await db.dispose()

    try:
        asyncio.run(run())
    except DomainError as refused:
        raise SystemExit(f"refused: {refused.detail}") from None


def _cmd_dev(args: argparse.Namespace) -> None:
    from services.devstack import run_dev_stack

    run_dev_stack(base_port=args.port)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="irp", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("token", help="issue a local access token")
    p.add_argument("--subject", default="local-developer")
    p.add_argument("--scope", action="append", help="repeat; default: every scope")
    p.add_argument("--ttl", type=int, default=8 * 3600, help="seconds")
    p.set_defaults(func=_cmd_token)

    for name, func, helptext in (
        ("migrate", _cmd_migrate, "bring a service's database to the newest schema"),
        ("outbox-status", _cmd_outbox_status, "pending outbox rows"),
        ("worker", _cmd_worker, "run a service's relay and consumers"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("service", choices=services.NAMES)
        p.set_defaults(func=func)

    p = sub.add_parser("revision", help="autogenerate a migration (developers)")
    p.add_argument("service", choices=services.NAMES)
    p.add_argument("-m", "--message", required=True)
    p.set_defaults(func=_cmd_revision)

    p = sub.add_parser("republish", help="re-send outbox events since a moment")
    p.add_argument("service", choices=("visits", "agreements", "passports"))
    p.add_argument("--since", required=True, help="ISO 8601 moment, e.g. 2026-11-24T10:00:00Z")
    p.set_defaults(func=_cmd_republish)

    p = sub.add_parser("rebuild", help="rebuild reporting's projections and compare")
    p.add_argument("--into", required=True, help="URL of a fresh, empty database")
    p.set_defaults(func=_cmd_rebuild)

    p = sub.add_parser("serve", help="run a service's HTTP server")
    p.add_argument("service", choices=services.NAMES)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("office-account", help="the reporting office's page accounts")
    p.add_argument("action", choices=("add", "remove", "list"))
    p.add_argument("username", nargs="?", default="")
    p.add_argument("--name", help="the name shown on the page")
    p.set_defaults(func=_cmd_office_account)

    p = sub.add_parser("dev", help="run the embedded stack")
    p.add_argument("--port", type=int, default=8001, help="first service port")
    p.set_defaults(func=_cmd_dev)

    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        args.func(args)


if __name__ == "__main__":
    sys.exit(main())
