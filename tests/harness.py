"""Helpers to run services on the real broker and databases inside a test."""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI
from sqlalchemy import Table, func, select

from services.devstack import Supervised, stop_side_by_side
from shared.app import ServiceContext
from shared.auth import SCOPES, issue_token
from shared.db import Database
from shared.embedded_broker import free_port
from shared.mailserver import LocalMailServer
from shared.settings import ServiceSettings, load_settings
from tests.conftest import TEST_SECRET

SNAPSHOTS = Path(tempfile.gettempdir()) / "irp-test-snapshots"

# Personal data the tests used: the leak scan looks for every value in everything emitted.
PERSONAL_DATA: set[str] = set()


def remember_personal_data(*values: str) -> None:
    PERSONAL_DATA.update(values)


async def every_message(bootstrap: str) -> list[bytes]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    names = [t for t in await admin.list_topics() if not t.startswith("__")]
    await admin.close()
    if not names:
        return []
    consumer = AIOKafkaConsumer(
        *names, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    values: list[bytes] = []
    try:
        while batch := await consumer.getmany(timeout_ms=2000, max_records=5000):
            for records in batch.values():
                values += [bytes(r.value or b"") + bytes(r.key or b"") for r in records]
                values += [b"".join(v for _, v in r.headers) for r in records]
    finally:
        await consumer.stop()
    return values


async def events_on(bootstrap: str, topic: str) -> list[dict[str, Any]]:
    """Every event on ``topic``, from the start, as its JSON envelope."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    found: list[dict[str, Any]] = []
    try:
        while batch := await consumer.getmany(timeout_ms=1500):
            for records in batch.values():
                found += [json.loads(r.value) for r in records]
    finally:
        await consumer.stop()
    return found


def personal_data_in(
    messages: list[bytes],
    logs: str,
    metrics: str,
    mails: list[bytes] = (),  # type: ignore[assignment]
) -> dict[str, str]:
    """Each personal value the tests used that appears in what was emitted, and where."""
    leaks = {
        value: where
        for value in sorted(PERSONAL_DATA)
        for where, emitted in (("logs", logs), ("metrics", metrics))
        if value in emitted
    }
    for where, emitted in (("events", messages), ("mail", mails)):
        leaks |= {v: where for v in PERSONAL_DATA if any(v.encode() in m for m in emitted)}
    return leaks


MAIL_FOLDERS: list[Path] = []  # every folder a test's mail server kept messages in


def local_mail(folder: Path) -> LocalMailServer:
    """A real SMTP server for a test, whose messages the session's personal-data scan reads."""
    MAIL_FOLDERS.append(folder)
    return LocalMailServer(folder).start()


def every_mail() -> list[bytes]:
    return [p.read_bytes() for folder in MAIL_FOLDERS for p in sorted(folder.glob("*.eml"))]


def settings_for(
    service: str, database_url: str, bootstrap: str, prefix: str, **overrides: Any
) -> ServiceSettings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "kafka_bootstrap": bootstrap,
        "topic_prefix": prefix,
        "jwt_secret": TEST_SECRET,
        "consumer_group": f"{prefix}{service}",
        "relay_max_backoff": 1.0,
        "consumer_retry_backoff": 0.05,
        "log_level": "INFO",
        "consumer_session_timeout_ms": 3000,
        "snapshot_dir": str(SNAPSHOTS / f"{prefix}{service}-{abs(hash(database_url)):x}"),
    }
    values.update(overrides)
    return load_settings(service, **values)


def sqlite_settings(folder: Path, bootstrap: str, prefix: str) -> Callable[[str], ServiceSettings]:
    """Each service's settings (``settings_for``), its database an SQLite file in ``folder``."""
    return lambda service: settings_for(
        service, f"sqlite:///{folder}/{service}.db", bootstrap, prefix
    )


def env_for(settings: ServiceSettings) -> dict[str, str]:
    """The same settings as environment variables, for a service in another process."""
    fields = (
        "service",
        "database_url",
        "kafka_bootstrap",
        "topic_prefix",
        "consumer_group",
        "jwt_secret",
        "consumer_batch_size",
        "consumer_session_timeout_ms",
        "log_level",
    )
    return {f"IRP_{f.upper()}": str(getattr(settings, f)) for f in fields}


def token(*scopes: str, subject: str = "tester") -> str:
    settings = load_settings("cli", jwt_secret=TEST_SECRET)
    return issue_token(settings, subject, list(scopes or SCOPES), 600)


def auth(*scopes: str, subject: str = "tester") -> dict[str, str]:
    return {"Authorization": f"Bearer {token(*scopes, subject=subject)}"}


@dataclass
class Running:
    app: FastAPI
    client: httpx.AsyncClient

    @property
    def ctx(self) -> ServiceContext:
        return self.app.state.ctx

    @property
    def db(self) -> Database:
        return self.ctx.db


@asynccontextmanager
async def running(service: str, settings: ServiceSettings) -> AsyncIterator[Running]:
    """The service's app with its lifespan (migrations, relay, consumers) and an HTTP client."""
    app = import_module(f"services.{service}.app").create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=f"http://{service}"
        ) as client,
    ):
        yield Running(app, client)


async def eventually(
    check: Callable[[], Awaitable[bool]], timeout: float = 30.0, interval: float = 0.05
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if await check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


async def count_rows(db: Database, table: Table, *where: Any) -> int:
    async with db.unit_of_work(write=False) as session:
        return (
            await session.execute(select(func.count()).select_from(table).where(*where))
        ).scalar_one()


VISIT = {
    "direction": "incoming",
    "kind": "official",
    "country_code": "FR",
    "title": {"ka": "საფრანგეთის მინისტრის ვიზიტი", "en": "Visit of the French minister"},
    "start_date": "2026-01-10",
    "end_date": "2026-01-12",
}


@contextmanager
def served(
    names: Sequence[str], env: dict[str, str], var: Path, timeout: float = 120.0,
    ports: dict[str, int] | None = None,
) -> Iterator[dict[str, Supervised]]:  # fmt: skip
    """The services under ``irp serve`` on free ports (or those given), as ``make run``
    starts them, each ready (its own process answering) before the block runs; stopped
    after it."""
    at = ports or {}
    services = {
        name: Supervised(name, at.get(name) or free_port(), env, var / f"{name}.log")
        for name in names
    }
    try:
        for service in services.values():
            service.start()
        deadline = time.monotonic() + timeout
        for service in services.values():
            while not service.ready():
                assert service.alive(), service.log_path.read_text()[-3000:]
                assert time.monotonic() < deadline, f"{service.name} not ready"
                time.sleep(0.2)
        yield services
    finally:
        stop_side_by_side(services.values())


async def created(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST`` that must answer 201; its body."""
    answer = await client.post(path, json=body, headers=auth())
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


async def created_once_known(
    client: httpx.AsyncClient, path: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Created once the service's view has the directory's records it names (refused with
    422 until then)."""
    made: dict[str, Any] = {}

    async def accepted() -> bool:
        answer = await client.post(path, json=body, headers=auth())
        assert answer.status_code in (201, 422), answer.text
        made.update(answer.json() if answer.status_code == 201 else {})
        return answer.status_code == 201

    await eventually(accepted, timeout=30)
    return made
