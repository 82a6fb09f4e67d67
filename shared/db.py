"""Database engine, sessions and the unit of work, for SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Dialect, MetaData, Table, event, insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from shared.sqlite_on_loop import OnTheLoopConnection, connector

SQLITE_BUSY_SECONDS = 30
CHECKPOINT_SECONDS = 1.0  # at most this often, the WAL is folded into the database file

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def async_url(url: str) -> str:
    """Accept plain ``postgresql://`` and ``sqlite:///`` URLs and pick the async driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def json_loads(text: str | bytes) -> Any:
    """A JSON column's value, parsed by orjson: a fifth of the UN report's making (5,000
    measures' sources) went to the standard library's parser. What orjson refuses and the
    standard library reads (NaN, a lone surrogate) is read by the latter. (orjson would give
    an integer beyond 64 bits as a float; none of the stored documents holds one.)"""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def create_engine(url: str, durable: bool = True, *, writer: bool = False) -> AsyncEngine:
    """An engine whose errors never quote a statement's parameters (``hide_parameters``): they
    end in logs, and parameters can be personal data. On SQLite, the ``writer`` engine has
    two connections (one writing, one closing), which run on the event loop
    (``shared.sqlite_on_loop``)."""
    url = async_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if _is_sqlite_file(url):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)  # type: ignore[arg-type]
        on_loop: dict[str, Any] = (
            {"async_creator": connector(str(Path(parsed.database or "").absolute()),
                                        SQLITE_BUSY_SECONDS),
             "pool_size": 2, "max_overflow": 0}
            if writer
            else {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}}
        )  # fmt: skip
        # No rollback when a connection goes back to the pool: every unit of work ends in
        # its own COMMIT or ROLLBACK.
        engine = create_async_engine(
            url,
            hide_parameters=True,
            pool_reset_on_return=None,
            json_deserializer=json_loads,
            **on_loop,
        )
        _configure_sqlite(engine, durable, writer)
        return engine
    return create_async_engine(
        url,
        pool_size=10,
        max_overflow=10,
        pool_pre_ping=True,
        hide_parameters=True,
        json_deserializer=json_loads,
    )


def _is_sqlite_file(url: str) -> bool:
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")


def _configure_sqlite(engine: AsyncEngine, durable: bool, writer: bool) -> None:
    """WAL, foreign keys, and ``BEGIN IMMEDIATE`` for writers.

    pysqlite's own transaction handling is switched off so that a writing unit
    of work takes the write lock up front (waiting on ``busy_timeout``) instead
    of failing later when a read transaction tries to upgrade. A database that is
    not ``durable`` (a scratch or rebuild target, redone after a crash) skips fsync.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={'NORMAL' if durable else 'OFF'}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A writer on the loop neither waits for a lock nor checkpoints there (both off it).
        cursor.execute(f"PRAGMA busy_timeout={0 if writer else SQLITE_BUSY_SECONDS * 1000}")
        if writer:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """One service's database: its engine and a session factory."""

    def __init__(self, url: str, *, durable: bool = True) -> None:
        self.url = url
        self.engine = create_engine(url, durable)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time. Writers of this process queue here, in order,
        # instead of on SQLite's busy handler, whose sleeps (up to 100 ms a try) left unlucky
        # requests waiting for seconds under load (make bench, mixed load); and a database
        # file is written through the connections that run on the loop.
        self._sqlite_writers = asyncio.Lock() if self.dialect == "sqlite" else None
        self._writer = create_engine(url, durable, writer=True) if _is_sqlite_file(url) else None
        self._checkpoint: asyncio.Task[None] | None = None
        self._checkpointed_at = 0.0
        self._writer_sessions = (
            async_sessionmaker(self._writer, expire_on_commit=False)
            if self._writer
            else self.sessions
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def unit_of_work(
        self, *, write: bool = True, consistent: bool = False
    ) -> AsyncIterator[AsyncSession]:
        """A transaction: committed when the block ends, rolled back if it raises.

        ``consistent`` reads see one state of the database throughout (PostgreSQL's
        REPEATABLE READ; an SQLite transaction always does).
        """
        sqlite_writer = write and self._sqlite_writers is not None
        async with (self._writer_sessions if sqlite_writer else self.sessions)() as session:
            if sqlite_writer:
                # The lock is held from BEGIN to COMMIT; the session closes after it (the
                # writer engine has a second connection for the next writer meanwhile).
                async with self._sqlite_writers:  # type: ignore[union-attr]
                    await session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                    async with self._committed(session):
                        yield session
                self._checkpoint_soon()
                return
            if consistent and self.dialect == "postgresql":
                await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            async with self._committed(session):
                yield session

    @staticmethod
    @asynccontextmanager
    async def _committed(session: AsyncSession) -> AsyncIterator[None]:
        try:
            yield
            await session.commit()
        except BaseException:
            await session.rollback()
            raise

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")

    def _checkpoint_soon(self) -> None:
        """After a write, now and then: fold the WAL into the database file on a reader's
        thread. The writers on the loop do not checkpoint (``wal_autocheckpoint=0``): an
        automatic checkpoint (up to 1,000 pages copied, fsync included) would run in the
        committing writer, holding up the loop, and the write lock, for as long as it took."""
        if self._writer is None or (self._checkpoint and not self._checkpoint.done()):
            return
        loop = asyncio.get_running_loop()
        if loop.time() - self._checkpointed_at >= CHECKPOINT_SECONDS:
            self._checkpointed_at = loop.time()
            self._checkpoint = loop.create_task(self._fold_wal())

    async def _fold_wal(self) -> None:
        try:
            async with self.engine.connect() as conn:
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:
            log.warning("WAL checkpoint failed; a later write tries again", exc_info=True)

    async def dispose(self) -> None:
        if self._checkpoint is not None:
            with contextlib.suppress(Exception):
                await self._checkpoint
        await self.engine.dispose()
        if self._writer is not None:
            await self._writer.dispose()


def as_dicts(result: Any) -> list[dict[str, Any]]:
    """A result's rows as dicts, the column names looked up once (``Row._asdict`` does it for
    every row, which shows in reports of thousands of rows)."""
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


# An INSERT's SQL, its parameters' order and their conversions, per table and columns given.
_Plan = tuple[str, tuple[str, ...], tuple[Any, ...]]
_INSERTS: dict[tuple[Table, str, tuple[str, ...]], _Plan | None] = {}


def _insert_plan(table: Table, dialect: Dialect, keys: tuple[str, ...]) -> _Plan | None:
    """The INSERT compiled once; None if SQLAlchemy would add a value of its own (a column's
    Python-side default), which only its own execution computes."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    names = tuple(compiled.positiontup or ())
    if sorted(names) != sorted(keys):
        return None
    processors = tuple(table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names)
    return compiled.string, names, processors


async def _driver(session: AsyncSession) -> tuple[Dialect, Any]:
    """The dialect and the driver's connection of the session's transaction (begun if it was
    not), looked up once per transaction."""
    transaction = session.sync_session.get_transaction()
    known = session.info.get("driver_connection")
    if transaction is None or known is None or known[0] is not transaction:
        connection = await session.connection()
        driver = (await connection.get_raw_connection()).driver_connection
        known = session.info["driver_connection"] = (
            session.sync_session.get_transaction(),
            connection.dialect,
            driver,
        )
    return known[1], known[2]


async def insert_row(session: AsyncSession, table: Table, row: dict[str, Any]) -> None:
    """INSERT one row in the session's transaction.

    On an SQLite file's writer (whose connection runs on the loop) the statement, compiled
    once per table and columns, goes straight to the driver with SQLAlchemy's own
    conversions of the values: SQLAlchemy's execution of a one-row INSERT costs several
    times SQLite's work for it, and every write of every service adds its outbox row this
    way (registering visits with their outbox rows, as make bench does: about twice the
    rate). Anywhere else (PostgreSQL's driver
    adapter opens its transaction on its first statement) through ``session.execute``.
    A failure is SQLAlchemy's error either way (``IntegrityError`` for a duplicate key).
    SQLAlchemy's statement events do not see the direct INSERT (``shared.touched`` does
    not): keep it off tables whose changes are watched that way."""
    if session.get_bind().dialect.name != "sqlite":
        await session.execute(insert(table), row)
        return
    dialect, driver = await _driver(session)
    key = (table, dialect.name, tuple(row))
    if key not in _INSERTS:
        _INSERTS[key] = _insert_plan(table, dialect, key[2])
    plan = _INSERTS[key]
    if plan is None or not isinstance(driver, OnTheLoopConnection):
        await session.execute(insert(table), row)
        return
    sql, names, processors = plan
    values = tuple(p(row[n]) if p else row[n] for n, p in zip(names, processors, strict=True))
    try:
        await (await driver.execute(sql, values)).close()
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, None, exc, sqlite3.Error, hide_parameters=True) from exc


def upsert(dialect: str, table, keys: list[str], set_):  # type: ignore[no-untyped-def]
    """``INSERT ... ON CONFLICT (keys) DO UPDATE`` for SQLite and PostgreSQL.

    ``set_`` receives the ``excluded`` row and returns the columns to update.
    Execute it with the rows as parameters (``session.execute(stmt, rows)``):
    one compiled statement, cached, whatever the number of rows.
    """
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(table)
    return stmt.on_conflict_do_update(index_elements=keys, set_=set_(stmt.excluded))


def insert_ignoring(dialect: str, table, keys: list[str]):  # type: ignore[no-untyped-def]
    """``INSERT ... ON CONFLICT (keys) DO NOTHING`` for SQLite and PostgreSQL: a row kept
    once however often it arrives."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).on_conflict_do_nothing(index_elements=keys)
