"""What each unit is reminded of and what was sent to it: the items the services' due and
overdue facts make (``shared.reminder_items``, as the notifications service keeps them),
settled when their records are, and the notifications service's messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.projections.common import Changes
from shared.contracts import passports as passport_events
from shared.contracts.notifications import MessageSentV1
from shared.db import insert_ignoring
from shared.reminder_items import item_of, settled_by
from shared.reminder_store import keep_items, settle_items


async def project(session: AsyncSession, dialect: str, changes: Changes) -> None:
    facts = [(e, p) for e, p in changes if p is not None]
    holders = await _holder_units(
        session, {p.holder_id for _, p in facts if isinstance(p, passport_events.PassportEvent)}
    )
    found = [(i, e.envelope.time) for e, p in facts if (i := item_of(p, holders)) is not None]
    await keep_items(session, tables.reminders, found)
    for e, p in facts:
        if (settled := settled_by(p)) is not None:
            await settle_items(session, tables.reminders, settled, e.envelope.time)
    sent = [(e.envelope.time, p) for e, p in facts if isinstance(p, MessageSentV1)]
    if sent:
        await session.execute(
            insert_ignoring(dialect, tables.reminder_messages, ["message_id"]),
            [_message(at, p) for at, p in sent],
        )
        carried = [{"message_id": p.message_id, "key": k} for _, p in sent for k in set(p.items)]
        if carried:
            await session.execute(
                insert_ignoring(dialect, tables.reminder_deliveries, ["message_id", "key"]),
                carried,
            )


async def _holder_units(
    session: AsyncSession, wanted: Iterable[str]
) -> dict[str, tuple[str | None, str | None]]:
    """Each holder's unit as the passports service announced it (the passports projection
    has kept this batch's holders already)."""
    ids = sorted(wanted)
    if not ids:
        return {}
    h = tables.holders
    rows = await session.execute(select(h.c.holder_id, h.c.unit_id, h.c.unit).where(
        h.c.holder_id.in_(ids)
    ))  # fmt: skip
    return {r.holder_id: (r.unit_id, r.unit) for r in rows}


def _message(sent_at: Any, p: MessageSentV1) -> dict[str, Any]:
    return {"message_id": p.message_id, "unit_id": p.unit_id or None, "kind": p.kind,
            "day": p.day, "recipient_kind": p.recipient_kind, "item_count": len(p.items),
            "sent_at": sent_at}  # fmt: skip
