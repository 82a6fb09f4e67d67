"""SQLite has one writer at a time: a service's own writers queue in the order they came,
not on SQLite's busy handler (whose sleeps, up to 100 ms a try, once left an unlucky
request waiting seconds under load)."""

from __future__ import annotations

import asyncio

from sqlalchemy import Column, Integer, MetaData, Table, insert, select

from shared.db import Database

metadata = MetaData()
arrivals = Table(
    "arrivals",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("writer", Integer, nullable=False),
)


async def test_concurrent_writers_of_one_process_commit_in_the_order_they_came(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/w.db")
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)

        async def write(writer: int) -> None:
            async with db.unit_of_work() as session:
                await session.execute(insert(arrivals).values(writer=writer))
                await asyncio.sleep(0.01)  # the transaction stays open: the others wait

        tasks = []
        for writer in range(30):
            tasks.append(asyncio.create_task(write(writer)))
            await asyncio.sleep(0)  # each asks before the next
        await asyncio.gather(*tasks)
        async with db.unit_of_work(write=False) as session:
            order = (await session.execute(select(arrivals.c.writer).order_by("seq"))).scalars()
            assert list(order) == list(range(30))
    finally:
        await db.dispose()
