"""Passports and their holders' units, as reporting keeps them: no names, no numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.obligation_projection import _all_but
from shared.consumer import ReceivedEvent
from shared.contracts import passports as ev
from shared.db import upsert

# The step each event records, as the column holding the day it happened.
STEP_DAYS = {
    ev.PassportIssuedV1: "issued_day",
    ev.PassportHandedOverV1: "handed_over_day",
    ev.PassportReturnedV1: "returned_day",
    ev.PassportCancelledV1: "cancelled_day",
    ev.PassportExpiringV1: "expiring_day",
    ev.PassportReturnOverdueV1: "return_overdue_day",
}


async def project(
    session: AsyncSession, dialect: str, changes: Sequence[tuple[ReceivedEvent, Any]]
) -> None:
    holders = {
        p.holder_id: {"holder_id": p.holder_id, "category": p.category, "unit": p.unit}
        for _, p in changes
        if isinstance(p, ev.HolderRegisteredV1)
    }
    if holders:
        t = tables.holders
        await session.execute(
            upsert(dialect, t, ["holder_id"], lambda new: _all_but(t, new, "holder_id")),
            list(holders.values()),
        )
    moved = [(e, p) for e, p in changes if isinstance(p, ev._PassportEvent)]
    if moved:
        await _passports(session, dialect, moved)


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
    units = dict(
        (
            await session.execute(
                select(h.c.holder_id, h.c.unit).where(h.c.holder_id.in_(holder_ids))
            )
        )
        .tuples()
        .all()
    )
    for e, p in moved:
        row = rows.setdefault(p.passport_id, {c.name: None for c in t.columns})
        row.update(
            passport_id=p.passport_id,
            holder_id=p.holder_id,
            unit=row["unit"] or units.get(p.holder_id),
            passport_type=p.passport_type,
            status=p.status,
            version=e.envelope.aggregateversion,
        )
        step = STEP_DAYS.get(type(p))
        if step:
            row[step] = e.envelope.time.astimezone(UTC).date()
    await session.execute(
        upsert(dialect, t, ["passport_id"], lambda new: _all_but(t, new, "passport_id")),
        list(rows.values()),
    )
