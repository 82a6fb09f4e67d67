"""SQLite has one writer at a time: a service's own writers queue in the order they came,
not on SQLite's busy handler (whose sleeps, up to 100 ms a try, once left an unlucky
request waiting seconds under load), and write on the event loop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text
from sqlalchemy.exc import IntegrityError

from shared.db import Database
from tests.harness import eventually

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


async def _executing_thread(session) -> int:  # type: ignore[no-untyped-def]
    """The thread SQLite runs this session's statements on (asked of SQLite itself)."""
    connection = await (await session.connection()).get_raw_connection()
    await connection.driver_connection.create_function("executing_thread", 0, threading.get_ident)
    return (await session.execute(text("SELECT executing_thread()"))).scalar()


async def test_writes_run_on_the_event_loop_and_reads_on_a_thread_of_their_own(tmp_path):
    """A writer holds the write lock only for SQLite's own work, not for trips to a thread;
    a read of thousands of rows never holds up the loop."""
    db = Database(f"sqlite:///{tmp_path}/w.db")
    try:
        async with db.unit_of_work() as session:
            assert await _executing_thread(session) == threading.get_ident()
        async with db.unit_of_work(write=False) as session:
            assert await _executing_thread(session) != threading.get_ident()
    finally:
        await db.dispose()


async def test_a_failed_writer_leaves_nothing_and_the_next_writer_goes_on(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/w.db")
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)

        async def failing() -> None:
            async with db.unit_of_work() as session:
                await session.execute(insert(arrivals).values(writer=1))
                await session.execute(insert(arrivals).values(seq=1, writer=2))  # taken

        async def succeeding() -> None:
            async with db.unit_of_work() as session:
                await session.execute(insert(arrivals).values(writer=3))

        results = await asyncio.gather(failing(), succeeding(), return_exceptions=True)
        assert isinstance(results[0], IntegrityError) and results[1] is None
        async with db.unit_of_work(write=False) as session:
            writers = (await session.execute(select(arrivals.c.writer))).scalars()
            assert list(writers) == [3]
    finally:
        await db.dispose()


async def test_a_writer_waits_for_another_process_lock_off_the_loop(tmp_path):
    """While another process holds SQLite's write lock (a migration run by hand), a writer
    waits for it on a thread: the loop goes on serving meanwhile; then the write is made."""
    path = tmp_path / "w.db"
    db = Database(f"sqlite:///{path}")
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        async def write() -> None:
            async with db.unit_of_work() as session:
                await session.execute(insert(arrivals).values(writer=7))

        ticking = asyncio.create_task(tick())
        writing = asyncio.create_task(write())
        await asyncio.sleep(1.0)
        assert not writing.done()
        assert ticks > 0  # the loop ran meanwhile (blocked on the lock, it could not have)
        other.execute("COMMIT")
        await asyncio.wait_for(writing, 30)
        ticking.cancel()
        other.close()
        async with db.unit_of_work(write=False) as session:
            assert list((await session.execute(select(arrivals.c.writer))).scalars()) == [7]
    finally:
        await db.dispose()


async def test_the_log_is_folded_into_the_database_file_but_not_by_the_writers(tmp_path):
    """The writers on the loop never checkpoint (an fsync there held up every request); the
    write-ahead log still reaches the database file, from a thread, soon after the writes."""
    path = tmp_path / "w.db"
    db = Database(f"sqlite:///{path}")
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            await conn.exec_driver_sql("CREATE TABLE blobs (b BLOB)")
        empty = path.stat().st_size
        for _ in range(30):
            async with db.unit_of_work() as session:
                autocheckpoint = (await session.execute(text("PRAGMA wal_autocheckpoint"))).scalar()
                assert autocheckpoint == 0
                await session.execute(
                    text("INSERT INTO blobs VALUES (randomblob(:n))"),
                    [{"n": 2000} for _ in range(100)],
                )
            await asyncio.sleep(0.1)

        async def folded() -> bool:
            return path.stat().st_size > empty + 4_000_000  # of the 6 MB written

        await eventually(folded, 30)
    finally:
        await db.dispose()
