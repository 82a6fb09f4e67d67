"""Rebuild every projection from the kept event history into a fresh database, and prove
the result equal to the live one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Table, func, select

from services.reporting import tables
from services.reporting.history import replay
from shared.db import Database
from shared.envelope import as_utc
from shared.migrations import upgrade_async

# Columns stamped with the moment of applying, which a rebuild cannot reproduce.
_WHEN_APPLIED = {"applied_at", "last_applied_at", "seq"}
_CHUNK = 5000
PROJECTED_TABLES = (
    tables.stream_positions,
    tables.aggregate_versions,
    tables.visits,
    tables.obligations,
    tables.action_plans,
    tables.activities,
    tables.agreements,
    tables.commissions,
    tables.commission_sessions,
    tables.commission_decisions,
    tables.visit_commitments,
    tables.daily_counts,
    tables.holders,
    tables.passports,
    tables.passport_moves,
    tables.directory_units,
    tables.directory_counterparts,
    tables.directory_posts,
    tables.directory_names,
    tables.reminders,
    tables.reminder_messages,
    tables.reminder_deliveries,
)
COMPARED = (tables.events, *PROJECTED_TABLES)


async def _digest(db: replay.Source, table: Table) -> tuple[int, int]:
    """The table's rows as a count and an order-free sum of their hashes, read in chunks:
    memory stays bounded however long the replay."""
    columns = [c for c in table.columns if c.name not in _WHEN_APPLIED]
    count, total = 0, 0
    async with replay.reading(db) as session:
        result = await session.stream(select(*columns))
        async for rows in result.partitions(_CHUNK):
            for row in rows:
                canonical = repr(tuple(as_utc(v) if isinstance(v, datetime) else v for v in row))
                total += int.from_bytes(hashlib.blake2b(canonical.encode()).digest()[:16])
            count += len(rows)
    return count, total % 2**128


async def differences(
    live: replay.Source, rebuilt: replay.Source, compared: tuple[Table, ...] = COMPARED
) -> list[str]:
    found = []
    for table in compared:
        (a, a_sum), (b, b_sum) = await _digest(live, table), await _digest(rebuilt, table)
        if (a, a_sum) != (b, b_sum):
            found.append(f"{table.name}: {a} live rows, {b} rebuilt; their contents differ")
    return found


async def rebuild(
    live_url: str, target_url: str, progress: Callable[[int, int], None] | None = None
) -> tuple[int, list[str]]:
    """Replay into ``target_url`` (a fresh database); the events replayed and the differences.

    The live database is read in one transaction from the first read to the comparison: a
    consumer applying new events meanwhile changes nothing that is replayed or compared."""
    await upgrade_async("services.reporting", target_url)
    live, target = Database(live_url), Database(target_url, durable=False)
    try:
        async with target.unit_of_work(write=False) as session:
            if (await session.execute(select(tables.events.c.seq).limit(1))).first():
                raise SystemExit("the target database is not empty")
        async with live.unit_of_work(write=False, consistent=True) as view:
            total = (await view.execute(select(func.count()).select_from(tables.events))).scalar()
            replayed = await replay.replay(
                view, target, progress=(lambda done: progress(done, total)) if progress else None
            )
            return replayed, await differences(view, target)
    finally:
        await live.dispose()
        await target.dispose()
