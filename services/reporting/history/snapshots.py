"""Snapshots of the projections, so that a report as of a past moment replays only the
events that followed the newest snapshot taken before that moment.

A snapshot is an SQLite file holding every projection as it stood after the event with
sequence number ``seq``; its name also records the newest ``occurred_at`` among those
events. It can serve a moment M when that newest time is not after M: then the events
up to ``seq`` are exactly those of the history up to M that come before ``seq``, and the
replay continues from ``seq`` with the events that occurred by M.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import make_url

from services.reporting import tables
from shared.db import Database
from shared.envelope import as_utc

log = logging.getLogger(__name__)

# The history itself, the consumer's dedupe, the office's accounts, the kept trend points
# and the live tables' tokens for kept reports are not projections.
_SKIPPED = {
    "events", "inbox", "office_accounts", "office_sessions", "trend_points", "table_versions"
}  # fmt: skip
_CHUNK = 5000
_NAME = re.compile(r"^snapshot-(\d{12})-(\d+)\.db$")


@dataclass(frozen=True)
class Snapshot:
    path: Path
    seq: int
    newest: datetime  # the newest occurred_at among the events it includes

    @classmethod
    def named(cls, path: Path) -> Snapshot | None:
        match = _NAME.match(path.name)
        if not match:
            return None
        micros = int(match.group(2))
        return cls(path, int(match.group(1)), datetime.fromtimestamp(micros / 1e6, UTC))


@functools.cache
def schema_revision() -> str:
    """The reporting schema this code writes (its newest migration)."""
    from alembic.script import ScriptDirectory

    from shared.migrations import alembic_config

    head = ScriptDirectory.from_config(
        alembic_config("services.reporting", "sqlite://")
    ).get_current_head()
    return str(head)


def folder_for(base: Path) -> Path:
    """Where this code's snapshots live: one folder per schema, so that a snapshot taken
    before a migration is never started from after it (it lacks the new columns)."""
    return base / schema_revision()


def existing(folder: Path) -> list[Snapshot]:
    """The complete snapshots in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    found = [s for s in map(Snapshot.named, folder.iterdir()) if s is not None]
    return sorted(found, key=lambda s: s.seq)


def usable(folder: Path | None, moment: datetime) -> Snapshot | None:
    """The newest snapshot that includes nothing that occurred after ``moment``."""
    if folder is None:
        return None
    fitting = [s for s in existing(folder) if s.newest <= moment]
    return fitting[-1] if fitting else None


async def take(live: Database, folder: Path, keep: int) -> Snapshot | None:
    """Copy every projection, read in one consistent transaction, into a new snapshot."""
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    async with live.unit_of_work(write=False) as session:
        newest_seq = (await session.execute(select(func.max(tables.events.c.seq)))).scalar()
    if newest_seq is None or any(s.seq == newest_seq for s in existing(folder)):
        return None
    partial = folder / f".snapshot.{os.getpid()}.partial"  # replicas may share the folder
    copy = Database(f"sqlite:///{partial}", durable=False)
    try:
        async with copy.engine.begin() as conn:
            await conn.run_sync(tables.metadata.create_all)
        if live.dialect == "sqlite":
            await copy.dispose()
            seq, newest = await asyncio.to_thread(_copy_within_sqlite, live, partial)
        else:
            seq, newest = await _copy_streamed(live, copy)
    except BaseException:
        await copy.dispose()
        await asyncio.to_thread(_remove, folder, partial.name)
        raise
    await copy.dispose()  # closing the last connection folds the WAL into the file
    name = f"snapshot-{seq:012d}-{int(as_utc(newest).timestamp() * 1_000_000)}.db"
    os.replace(partial, folder / name)
    _prune(folder, keep)
    log.info("projections snapshot taken", extra={"seq": seq})
    return Snapshot.named(folder / name)


def _projection_tables() -> list[Table]:
    return [t for t in tables.metadata.sorted_tables if t.name not in _SKIPPED]


def _copy_within_sqlite(live: Database, copy: Path) -> tuple[int, datetime]:
    """SQLite copies the tables itself, in one transaction that reads the live file as one
    state: no row passes through Python, and the service's own work goes on meanwhile."""
    with contextlib.closing(sqlite3.connect(copy, isolation_level=None)) as con:
        con.execute("PRAGMA busy_timeout=30000")
        con.execute("ATTACH DATABASE ? AS live", (make_url(live.url).database,))
        con.execute("BEGIN")
        seq, newest = con.execute("SELECT max(seq), max(occurred_at) FROM live.events").fetchone()
        for table in _projection_tables():
            columns = ", ".join(f'"{c.name}"' for c in table.columns)
            con.execute(
                f'INSERT INTO main."{table.name}" ({columns}) '
                f'SELECT {columns} FROM live."{table.name}"'
            )
        con.execute("COMMIT")
        con.execute("DETACH DATABASE live")
    return seq, datetime.fromisoformat(newest)  # kept as UTC text


async def _copy_streamed(live: Database, copy: Database) -> tuple[int, datetime]:
    e = tables.events
    async with live.unit_of_work(write=False, consistent=True) as session:
        seq, newest = (
            await session.execute(select(func.max(e.c.seq), func.max(e.c.occurred_at)))
        ).one()
        for table in _projection_tables():
            result = await session.stream(select(table))
            async for rows in result.partitions(_CHUNK):
                async with copy.unit_of_work() as target:
                    await target.execute(insert(table), [r._asdict() for r in rows])
    return seq, newest


def _remove(folder: Path, name: str) -> None:
    for leftover in folder.glob(f"{name}*"):  # with its -wal and -shm
        leftover.unlink(missing_ok=True)


def _prune(folder: Path, keep: int) -> None:
    for old in existing(folder)[:-keep]:
        old.path.unlink(missing_ok=True)


async def take_when_due(live: Database, folder: Path, every: int, keep: int) -> int:
    """A snapshot once ``every`` events have been applied since the last one (1 if taken)."""
    async with live.unit_of_work(write=False) as session:
        seq = (await session.execute(select(func.max(tables.events.c.seq)))).scalar()
    taken = existing(folder)
    if seq is None or seq - (taken[-1].seq if taken else 0) < every:
        return 0
    return 1 if await take(live, folder, keep) else 0
