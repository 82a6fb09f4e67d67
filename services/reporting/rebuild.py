"""Rebuild every projection from the kept event history into a fresh database, and prove
the result equal to the live one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select

from services.reporting import history, tables
from shared.db import Database
from shared.migrations import upgrade_async

# Columns stamped with the moment of applying, which a rebuild cannot reproduce.
_WHEN_APPLIED = {"applied_at", "last_applied_at", "seq"}
PROJECTIONS = (
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
)
COMPARED = (tables.events, *PROJECTIONS)


async def _rows(db: Database, table: Table) -> list[tuple[Any, ...]]:
    columns = [c for c in table.columns if c.name not in _WHEN_APPLIED]
    keys = [c for c in table.primary_key.columns if c.name not in _WHEN_APPLIED] or [
        table.c.event_id
    ]
    async with db.unit_of_work(write=False) as session:
        return [tuple(r) for r in await session.execute(select(*columns).order_by(*keys))]


async def differences(
    live: Database, rebuilt: Database, compared: tuple[Table, ...] = COMPARED
) -> list[str]:
    found = []
    for table in compared:
        a, b = await _rows(live, table), await _rows(rebuilt, table)
        if a != b:
            live_rows, rebuilt_rows = {repr(r) for r in a}, {repr(r) for r in b}
            only_live = len(live_rows - rebuilt_rows)
            only_rebuilt = len(rebuilt_rows - live_rows)
            found.append(
                f"{table.name}: {len(a)} live rows, {len(b)} rebuilt; "
                f"{only_live} only live, {only_rebuilt} only rebuilt"
            )
    return found


async def rebuild(live_url: str, target_url: str) -> tuple[int, list[str]]:
    """Replay into ``target_url`` (a fresh database); the events replayed and the differences."""
    await upgrade_async("reporting", target_url)
    live, target = Database(live_url), Database(target_url, durable=False)
    try:
        async with target.unit_of_work(write=False) as session:
            if (await session.execute(select(tables.events.c.seq).limit(1))).first():
                raise SystemExit("the target database is not empty")
        replayed = await history.replay(live, target)
        return replayed, await differences(live, target)
    finally:
        await live.dispose()
        await target.dispose()
