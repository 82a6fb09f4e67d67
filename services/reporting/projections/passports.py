"""Passports and their holders' units, as reporting keeps them: no names, no numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.projections.common import upsert_rows
from shared.consumer import ReceivedEvent
from shared.contracts import passports as passport_events

# The step each event records, as the column holding the day it happened.
STEP_DAYS = {
    passport_events.PassportIssuedV1: "issued_day",
    passport_events.PassportHandedOverV1: "handed_over_day",
    passport_events.PassportReturnedV1: "returned_day",
    passport_events.PassportCancelledV1: "cancelled_day",
    passport_events.PassportExpiringV1: "expiring_day",
    passport_events.PassportReturnOverdueV1: "return_overdue_day",
}


async def project(
    session: AsyncSession, dialect: str, changes: Sequence[tuple[ReceivedEvent, Any]]
) -> None:
    holders = {
        p.holder_id: {
            "holder_id": p.holder_id,
            "category": p.category,
            "unit": p.unit,
            "unit_id": p.unit_id,
        }
        for _, p in changes
        if isinstance(p, passport_events.HolderRegisteredV1)
    }
    if holders:
        t = tables.holders
        await upsert_rows(session, dialect, t, ["holder_id"], holders.values())
    moved = [(e, p) for e, p in changes if isinstance(p, passport_events.PassportEvent)]
    if moved:
        await _passports(session, dialect, moved)
        await session.execute(insert(tables.passport_moves), [_move(e, p) for e, p in moved])


def _move(e: ReceivedEvent, p: Any) -> dict[str, Any]:
    """Where the passport is after the event, and by when it is due back: to the office
    while a return is due, else to the safe after a trip."""
    back_by = p.return_due_by if p.status == "return_due" else p.safe_return_by
    return {
        "passport_id": p.passport_id, "version": e.envelope.aggregateversion,
        "occurred_at": e.envelope.time, "status": p.status, "back_by": back_by,
    }  # fmt: skip


async def _passports(
    session: AsyncSession, dialect: str, moved: Sequence[tuple[ReceivedEvent, Any]]
) -> None:
    t, h = tables.passports, tables.holders
    ids = list({p.passport_id for _, p in moved})
    rows = {
        r.passport_id: r._asdict()
        for r in await session.execute(select(t).where(t.c.passport_id.in_(ids)))
    }
    holder_ids = list({p.holder_id for _, p in moved})
    kept = select(h.c.holder_id, h.c.unit, h.c.unit_id).where(h.c.holder_id.in_(holder_ids))
    units = {r.holder_id: (r.unit, r.unit_id) for r in await session.execute(kept)}
    for e, p in moved:
        row = rows.setdefault(p.passport_id, {c.name: None for c in t.columns})
        row.update(passport_id=p.passport_id, holder_id=p.holder_id)
        if row["unit"] is None and row["unit_id"] is None:
            row["unit"], row["unit_id"] = units.get(p.holder_id, (None, None))
        row.update(
            passport_type=p.passport_type,
            status=p.status,
            version=e.envelope.aggregateversion,
        )
        step = STEP_DAYS.get(type(p))
        if step:
            row[step] = e.envelope.time.astimezone(UTC).date()
    await upsert_rows(session, dialect, t, ["passport_id"], rows.values())
