"""``insert_row``: one row written in the unit of work's transaction, straight to the driver
on an SQLite file's writer, through SQLAlchemy elsewhere. Either way the row reads back as
SQLAlchemy would have written it, goes with a rollback, and a duplicate key is
SQLAlchemy's ``IntegrityError``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from shared.db import Database, insert_row
from shared.envelope import as_utc

metadata = MetaData()
notes = Table(
    "notes", metadata,
    Column("id", String(36), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("body", JSON, nullable=False),
    Column("count", Integer),
    Column("kind", String(20), server_default="plain", nullable=False),
)  # fmt: skip
AT = datetime(2026, 11, 29, 10, 15, 30, 123456, tzinfo=UTC)
BODY = {"en": "Visit", "ka": "ვიზიტი", "n": [1, 2]}


async def fresh(databases) -> Database:  # type: ignore[no-untyped-def]
    db = Database(await databases.new())
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return db


async def rows(db: Database) -> list[tuple]:  # type: ignore[type-arg]
    async with db.unit_of_work(write=False) as session:
        query = select(notes).order_by(notes.c.id)
        return [tuple(r) for r in await session.execute(query)]


async def test_a_row_reads_back_as_sqlalchemy_writes_it(databases):
    db = await fresh(databases)
    try:
        async with db.unit_of_work() as session:
            await insert_row(session, notes, {"id": "a", "at": AT, "body": BODY, "count": None})
            await session.execute(insert(notes), {"id": "b", "at": AT, "body": BODY, "count": None})
            await insert_row(session, notes, {"id": "c", "at": AT, "body": BODY, "count": 3})
        written = await rows(db)
        assert [r[0] for r in written] == ["a", "b", "c"]
        assert written[0][1:] == written[1][1:]  # as SQLAlchemy's own INSERT wrote it
        assert (as_utc(written[0][1]), *written[0][2:]) == (AT, BODY, None, "plain")
        assert written[2][3] == 3
    finally:
        await db.dispose()


async def test_a_rolled_back_unit_of_work_leaves_no_row(databases):
    db = await fresh(databases)
    try:
        with pytest.raises(RuntimeError):
            async with db.unit_of_work() as session:
                await insert_row(session, notes, {"id": "a", "at": AT, "body": BODY})
                raise RuntimeError("the use case failed after writing")
        assert await rows(db) == []
        # the next unit of work, on the same pooled connection, is a transaction of its own
        async with db.unit_of_work() as session:
            await insert_row(session, notes, {"id": "b", "at": AT, "body": BODY})
        assert [r[0] for r in await rows(db)] == ["b"]
    finally:
        await db.dispose()


async def test_a_duplicate_key_is_sqlalchemys_integrity_error_and_nothing_is_kept(databases):
    db = await fresh(databases)
    try:
        async with db.unit_of_work() as session:
            await insert_row(session, notes, {"id": "a", "at": AT, "body": BODY})
        with pytest.raises(IntegrityError) as raised:
            async with db.unit_of_work() as session:
                await insert_row(session, notes, {"id": "z", "at": AT, "body": BODY})
                await insert_row(session, notes, {"id": "a", "at": AT, "body": {"x": 1}})
        assert "ვიზიტი" not in str(raised.value) and "'x'" not in str(raised.value)
        assert [r[0] for r in await rows(db)] == ["a"]
    finally:
        await db.dispose()
