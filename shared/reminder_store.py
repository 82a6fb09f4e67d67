"""Reminder items kept in a service's table (the columns of ``reminder_items.Item``, with
``noticed_at`` and ``settled_at``): each kept once however often it arrives, closed when
its record is settled. The notifications service and the reporting service keep them so."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, String, Table, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import insert_ignoring
from shared.reminder_items import Item, Settled


def item_columns() -> list[Column[Any]]:
    """The columns of a kept reminder: ``reminder_items.Item``'s, when it was noticed and
    when it was settled (each table adds what it keeps besides)."""
    return [
        Column("key", String(300), primary_key=True),
        Column("unit_id", String(36)),
        Column("unit", String(200)),
        Column("what", String(40), nullable=False),
        Column("stage", String(10), nullable=False),
        Column("title", JSON, nullable=False),
        Column("ref", String(200)),
        Column("due_on", Date, nullable=False),
        Column("record_type", String(40), nullable=False),
        Column("record_id", String(36), nullable=False),
        Column("part", String(100)),
        Column("link", String(300), nullable=False),
        Column("noticed_at", DateTime(timezone=True), nullable=False),
        Column("settled_at", DateTime(timezone=True)),
    ]


async def keep_items(
    session: AsyncSession, table: Table, found: Sequence[tuple[Item, datetime]]
) -> None:
    """Each item with the moment it was noticed; an item kept before stays as it was."""
    if not found:
        return
    dialect = session.get_bind().dialect.name
    rows = [{**item.row(), "noticed_at": noticed} for item, noticed in found]
    await session.execute(insert_ignoring(dialect, table, ["key"]), rows)


async def settle_items(
    session: AsyncSession, table: Table, settled: Settled, when: datetime
) -> None:
    """Close the open items ``settled`` names (of ``what``, of ``part``, or all the record's)."""
    t = table.c
    which = [t.record_type == settled.record_type, t.record_id == settled.record_id,
             t.settled_at.is_(None)]  # fmt: skip
    if settled.what:
        which.append(t.what == settled.what)
    if settled.part:
        which.append(t.part == settled.part)
    await session.execute(update(table).where(*which).values(settled_at=when))
