"""The visits service's view of passports, kept from the passports service's events."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.visits.readiness import HolderPassport
from services.visits.tables import holder_passports
from shared.consumer import ReceivedEvent
from shared.db import upsert


async def passports_of(
    session: AsyncSession, holder_ids: Iterable[str]
) -> dict[str, list[HolderPassport]]:
    ids = list(holder_ids)
    if not ids:
        return {}
    t = holder_passports
    rows = await session.execute(
        select(t.c.passport_id, t.c.holder_id, t.c.passport_type, t.c.status, t.c.expires_on).where(
            t.c.holder_id.in_(ids)
        )
    )
    found: dict[str, list[HolderPassport]] = {}
    for r in rows:
        found.setdefault(r.holder_id, []).append(HolderPassport(*r))
    return found


async def record(session: AsyncSession, events: Sequence[ReceivedEvent]) -> set[str]:
    """Apply passport events (newest version wins); the holders whose passports changed."""
    latest: dict[str, dict[str, object]] = {}
    for e in events:
        data = e.envelope.data
        if e.envelope.aggregatetype != "passport" or "passport_id" not in data:
            continue
        row = {
            "passport_id": data["passport_id"],
            "holder_id": data["holder_id"],
            "passport_type": data["passport_type"],
            "status": data["status"],
            "expires_on": data.get("expires_on"),
            "version": e.envelope.aggregateversion,
        }
        known = latest.get(row["passport_id"])  # type: ignore[arg-type]
        if known is None or known["version"] < row["version"]:  # type: ignore[operator]
            latest[row["passport_id"]] = row  # type: ignore[index]
    if not latest:
        return set()
    for row in latest.values():
        if isinstance(row["expires_on"], str):
            row["expires_on"] = date.fromisoformat(row["expires_on"])
    t = holder_passports
    dialect = session.get_bind().dialect.name
    statement = upsert(
        dialect,
        t,
        ["passport_id"],
        lambda new: {
            c: _newer(t.c[c], new[c], t.c.version, new.version)
            for c in ("status", "expires_on", "version", "holder_id", "passport_type")
        },
    )
    await session.execute(statement, list(latest.values()))
    return {str(r["holder_id"]) for r in latest.values()}


def _newer(current, incoming, current_version, incoming_version):  # type: ignore[no-untyped-def]
    """Keep the stored value unless the incoming event is a newer version."""
    return case((incoming_version > current_version, incoming), else_=current)
