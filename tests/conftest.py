"""Real parts for the tests: one shared broker, SQLite files and PostgreSQL databases."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from shared.embedded_broker import EmbeddedBroker

POSTGRES_URL = os.environ.get(
    "IRP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
TEST_SECRET = "test-secret-" + "x" * 40


class CapturedLogs(logging.Handler):
    """Every log record of the session, formatted, for the personal-data scan."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.getMessage()} {record.__dict__}")


@pytest.fixture(scope="session", autouse=True)
def captured_logs() -> Iterator[CapturedLogs]:
    handler = CapturedLogs()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """The broker every test shares; each test takes its own topic prefix and group."""
    broker = EmbeddedBroker(log_path=tmp_path_factory.mktemp("kafka") / "broker.log").start()
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
async def personal_data_scan(
    kafka: EmbeddedBroker, captured_logs: CapturedLogs
) -> AsyncIterator[None]:
    """At the end of the session, after every test that used the real parts: nothing the
    services emitted — log lines, metrics, events on the shared broker, mail the tests' SMTP
    servers received — carries a personal
    number, date of birth or passport number that any test used."""
    from prometheus_client import generate_latest

    from tests.harness import PERSONAL_DATA, every_mail, every_message, personal_data_in

    yield
    if not PERSONAL_DATA:  # no test of this run used personal data: nothing to look for
        return
    messages = await every_message(kafka.bootstrap)
    logs = "\n".join(captured_logs.lines)
    leaks = personal_data_in(messages, logs, generate_latest().decode(), every_mail())
    assert leaks == {}, f"personal data emitted: {leaks}"


@pytest.fixture
def own_kafka(tmp_path) -> Iterator[EmbeddedBroker]:
    """A broker of the test's own, for tests that pause or restart it."""
    broker = EmbeddedBroker(log_path=tmp_path / "broker.log").start()
    yield broker
    broker.stop()


@pytest.fixture
def prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}."


async def _postgres_answers() -> bool:
    try:
        conn = await asyncio.wait_for(asyncpg.connect(POSTGRES_URL), 3)
    except Exception:
        return False
    await conn.close()
    return True


class PostgresDatabases:
    """Creates databases for one test and drops them afterwards."""

    def __init__(self) -> None:
        self.created: list[str] = []

    async def create(self) -> str:
        name = f"irp_test_{uuid.uuid4().hex[:12]}"
        conn = await asyncpg.connect(POSTGRES_URL)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        self.created.append(name)
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    async def drop_all(self) -> None:
        conn = await asyncpg.connect(POSTGRES_URL)
        try:
            for name in self.created:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


async def require_postgres() -> None:
    if not await _postgres_answers():
        if REQUIRE_POSTGRES:
            pytest.fail(f"REQUIRE_POSTGRES=1 but no PostgreSQL answers at {POSTGRES_URL}")
        pytest.skip(f"no PostgreSQL answers at {POSTGRES_URL} (set IRP_TEST_POSTGRES_URL)")


class DatabaseFactory:
    """Fresh, empty databases of one backend for one test."""

    def __init__(self, backend: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
        self.backend = backend
        self.tmp_path = tmp_path
        self.postgres = PostgresDatabases()

    async def new(self, name: str = "db") -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp_path}/{name}-{uuid.uuid4().hex[:6]}.sqlite"
        await require_postgres()
        return await self.postgres.create()


@pytest.fixture(params=["sqlite", "postgresql"])
async def databases(request, tmp_path) -> AsyncIterator[DatabaseFactory]:
    """Each test using it runs once on SQLite and once on PostgreSQL."""
    factory = DatabaseFactory(request.param, tmp_path)
    yield factory
    if factory.postgres.created:
        await factory.postgres.drop_all()


@pytest.fixture
async def postgres_url(tmp_path) -> AsyncIterator[str]:
    """One fresh PostgreSQL database; skipped (failed if REQUIRE_POSTGRES=1) without a server."""
    factory = DatabaseFactory("postgresql", tmp_path)
    yield await factory.new()
    await factory.postgres.drop_all()


@pytest.fixture
def identity_providers(tmp_path) -> Iterator[Any]:
    """Start the test session's OpenID Connect provider (oidc-provider on Node.js): skipped
    with the reason when it cannot run here, failed instead under REQUIRE_OIDC=1."""
    from tests.identity import REQUIRE_OIDC, IdentityProvider, why_not_available

    missing = why_not_available()
    if missing:
        if REQUIRE_OIDC:
            pytest.fail(f"REQUIRE_OIDC=1 but {missing}")
        pytest.skip(missing)
    started: list[IdentityProvider] = []

    def start(redirect_base: str = "") -> IdentityProvider:
        started.append(IdentityProvider(tmp_path, redirect_base).start())
        return started[-1]

    yield start
    for provider in started:
        provider.stop()
