"""A service's local view of the directory's units, kept from the directory's events: what a
service checks a unit id against without calling the directory (the newest version wins,
whatever order the events arrive in)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, case, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.consumer import ReceivedEvent
from shared.db import upsert
from shared.errors import RuleViolation

_KEPT = ("name", "status", "merged_into", "version")


def units_table(metadata: MetaData) -> Table:
    return Table(
        "directory_units",
        metadata,
        Column("unit_id", String(36), primary_key=True),
        Column("name", JSON, nullable=False),
        Column("status", String(20), nullable=False),
        Column("merged_into", String(36)),
        Column("version", Integer, nullable=False),
    )


async def record_unit_events(
    session: AsyncSession, table: Table, events: Sequence[ReceivedEvent]
) -> None:
    """Apply the directory's unit events to the view."""
    latest: dict[str, dict[str, Any]] = {}
    for e in events:
        data = e.envelope.data
        if e.envelope.aggregatetype != "unit" or "unit_id" not in data:
            continue
        row = {
            "unit_id": data["unit_id"],
            "name": data["name"],
            "status": data["status"],
            "merged_into": data.get("merged_into"),
            "version": e.envelope.aggregateversion,
        }
        known = latest.get(row["unit_id"])
        if known is None or known["version"] < row["version"]:
            latest[row["unit_id"]] = row
    if latest:
        newer = lambda new: {  # noqa: E731
            c: case((new.version > table.c.version, new[c]), else_=table.c[c]) for c in _KEPT
        }
        dialect = session.get_bind().dialect.name
        await session.execute(upsert(dialect, table, ["unit_id"], newer), list(latest.values()))


async def active_unit(session: AsyncSession, table: Table, unit_id: str) -> dict[str, Any]:
    """The unit as the view knows it; refused when it is unknown or no longer active."""
    row = (await session.execute(select(table).where(table.c.unit_id == unit_id))).first()
    if row is None:
        raise RuleViolation(
            f"no unit {unit_id} in the directory (a unit just created there may take a moment "
            "to arrive)"
        )
    if row.status != "active":
        raise RuleViolation(f"the unit {unit_id} is {row.status}")
    return dict(row._mapping)
