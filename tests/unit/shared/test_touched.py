"""The tables a session's statements read and wrote, told from the statements: what a kept
report is checked against."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    exists,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from shared.touched import tables_touched

metadata = MetaData()
measures = Table("measures", metadata, Column("id", Integer, primary_key=True),
                 Column("plan", Integer), Column("status", String(20)))  # fmt: skip
plans = Table("plans", metadata, Column("id", Integer, primary_key=True))
units = Table("units", metadata, Column("id", Integer, primary_key=True))


@asynccontextmanager
async def in_memory() -> AsyncIterator[AsyncSession]:
    """A session on a fresh in-memory database, its engine disposed after."""
    engine = create_async_engine("sqlite+aiosqlite://")
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        async with AsyncSession(engine) as session:
            yield session
    finally:
        await engine.dispose()


async def test_every_table_a_query_reads_is_told_through_joins_subqueries_and_aliases():
    other = measures.alias("other")
    count = select(func.count()).select_from(plans).where(plans.c.id == measures.c.plan)
    async with in_memory() as session:
        with tables_touched(session) as touched:
            await session.execute(select(measures.c.id, count.scalar_subquery()))
            await session.execute(
                select(other.c.id).where(exists().where(units.c.id == other.c.plan))
            )
    assert touched.read == {"measures", "plans", "units"}
    assert (touched.written, touched.opaque) == (set(), False)


async def test_the_tables_written_are_told_and_only_inside_the_block():
    async with in_memory() as session:
        with tables_touched(session) as touched:
            await session.execute(insert(measures), [{"id": 1, "plan": 1, "status": "new"}])
            await session.execute(
                update(measures)
                .where(measures.c.plan.in_(select(plans.c.id)))
                .values(status="done")
            )
            await session.execute(delete(units))
        await session.execute(insert(plans), [{"id": 1}])  # after the block: not seen
    assert touched.written == {"measures", "units"}
    assert "plans" in touched.read and "plans" not in touched.written


async def test_a_statement_whose_tables_cannot_be_told_makes_the_reading_opaque():
    async with in_memory() as session:
        with tables_touched(session) as touched:
            await session.execute(text("SELECT count(*) FROM units"))
    assert touched.opaque and touched.read == set()
