"""Applying consumed events to the reporting database: one batch, one transaction.

Called by the shared consumer, which has already skipped the events handled
before and records these as handled in the same transaction.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.projections import (
    activities,
    agreements,
    commissions,
    directory,
    obligations,
    passports,
    reminders,
    visits,
)
from shared.consumer import ReceivedEvent
from shared.contracts import contract_for
from shared.db import upsert
from shared.envelope import utcnow
from shared.touched import tables_touched

log = logging.getLogger(__name__)

# Every read model, each given the batch's changes newer than what it holds.
PROJECTIONS = (
    visits.project,
    obligations.project,
    activities.project,
    agreements.project,
    commissions.project,
    passports.project,
    directory.project,
    reminders.project,  # after passports: it reads the holders' units
)


def stream_of(event: ReceivedEvent) -> str:
    """``/irp/visits`` → ``visits``: the stream is the producing service."""
    return event.envelope.source.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Decoded:
    """An event, its data as its contract says (None for a type unknown here: kept, not
    projected), and the JSON the history keeps it as."""

    event: ReceivedEvent
    payload: Any
    stored: str


def decode(event: ReceivedEvent) -> Decoded:
    contract = contract_for(event.envelope.type)
    payload = contract.model_validate(event.envelope.data) if contract else None
    return Decoded(event, payload, event.envelope.model_dump_json(include={"data"}))


async def apply_events(session: AsyncSession, events: Sequence[ReceivedEvent]) -> None:
    """The consumer's entry: a batch of received events."""
    await apply_decoded(session, [decode(e) for e in events])


async def apply_decoded(session: AsyncSession, decoded: Sequence[Decoded]) -> None:
    dialect = session.get_bind().dialect.name
    with tables_touched(session) as touched:
        await _apply(session, dialect, decoded)
    await _mark_changed(session, dialect, touched.written)


async def _apply(session: AsyncSession, dialect: str, decoded: Sequence[Decoded]) -> None:
    events = [d.event for d in decoded]
    now = utcnow()
    await session.execute(
        insert(tables.events),
        [
            {
                "event_id": e.envelope.id,
                "stream": stream_of(e),
                "type": e.envelope.type,
                "aggregate_type": e.envelope.aggregatetype,
                "aggregate_id": e.envelope.aggregateid,
                "aggregate_version": e.envelope.aggregateversion,
                "occurred_at": e.envelope.time,
                "correlation_id": e.envelope.correlationid,
                "data": d.stored,
                "applied_at": now,
            }
            for d in decoded
            for e in (d.event,)
        ],
    )
    await _advance_streams(session, dialect, events, now)
    await _count_by_day(session, dialect, events)
    fresh = await _advance_aggregates(session, dialect, events)
    newer = [(d.event, d.payload) for d in decoded if fresh[d.event.envelope.id]]
    for projection in PROJECTIONS:
        await projection(session, dialect, newer)


async def _mark_changed(session: AsyncSession, dialect: str, written: Iterable[str]) -> None:
    """A new token for each table the batch wrote (what kept reports are checked against)."""
    t = tables.table_versions
    token = uuid.uuid4().hex
    await session.execute(
        upsert(dialect, t, ["name"], lambda new: {"version": new.version}),
        [{"name": name, "version": token} for name in sorted(written)],
    )


async def _advance_streams(
    session: AsyncSession, dialect: str, events: Sequence[ReceivedEvent], now: Any
) -> None:
    latest: dict[str, dict[str, Any]] = {}
    for e in events:
        stream = stream_of(e)
        count = latest.get(stream, {}).get("events_applied", 0) + 1
        latest[stream] = {
            "stream": stream,
            "events_applied": count,
            "last_event_id": e.envelope.id,
            "last_event_type": e.envelope.type,
            "last_event_time": e.envelope.time,
            "last_applied_at": now,
        }
    t = tables.stream_positions
    await session.execute(
        upsert(
            dialect,
            t,
            ["stream"],
            lambda new: {
                "events_applied": t.c.events_applied + new.events_applied,
                "last_event_id": new.last_event_id,
                "last_event_type": new.last_event_type,
                "last_event_time": new.last_event_time,
                "last_applied_at": new.last_applied_at,
            },
        ),
        list(latest.values()),
    )


async def _count_by_day(
    session: AsyncSession, dialect: str, events: Sequence[ReceivedEvent]
) -> None:
    counts: dict[tuple[Any, str, str], int] = {}
    for e in events:
        key = (e.envelope.time.astimezone(UTC).date(), stream_of(e), e.envelope.type)
        counts[key] = counts.get(key, 0) + 1
    t = tables.daily_counts
    await session.execute(
        upsert(dialect, t, ["day", "stream", "type"], lambda new: {"count": t.c.count + new.count}),
        [{"day": d, "stream": s, "type": ty, "count": n} for (d, s, ty), n in counts.items()],
    )


async def _advance_aggregates(
    session: AsyncSession, dialect: str, events: Sequence[ReceivedEvent]
) -> dict[str, bool]:
    """Track each aggregate's newest version; tell which events are newer than what was seen.

    Events of one aggregate arrive in order (one key, one partition, one relay);
    a version that is not the next one is logged and counted, never applied over
    a newer state.
    """
    t = tables.aggregate_versions
    keys = {(e.envelope.aggregatetype, e.envelope.aggregateid) for e in events}
    ids_by_type: dict[str, list[str]] = {}
    for aggregate_type, aggregate_id in keys:
        ids_by_type.setdefault(aggregate_type, []).append(aggregate_id)
    seen: dict[tuple[str, str], list[int]] = {}
    # One query per aggregate type, which the primary key's index answers (SQLite scans the
    # whole table for a list of (type, id) pairs).
    for aggregate_type, ids in ids_by_type.items():
        rows = await session.execute(
            select(t.c.aggregate_id, t.c.version, t.c.out_of_order).where(
                t.c.aggregate_type == aggregate_type, t.c.aggregate_id.in_(ids)
            )
        )
        seen.update({(aggregate_type, r.aggregate_id): [r.version, r.out_of_order] for r in rows})
    fresh: dict[str, bool] = {}
    for e in events:
        key = (e.envelope.aggregatetype, e.envelope.aggregateid)
        version, odd = seen.get(key, [0, 0])
        if e.envelope.aggregateversion != version + 1:
            odd += 1
            log.warning(
                "event out of sequence",
                extra={
                    "aggregate": key[0],
                    "aggregate_id": key[1],
                    "expected_version": version + 1,
                    "got_version": e.envelope.aggregateversion,
                },
            )
        fresh[e.envelope.id] = e.envelope.aggregateversion > version
        seen[key] = [max(version, e.envelope.aggregateversion), odd]
    await session.execute(
        upsert(
            dialect,
            t,
            ["aggregate_type", "aggregate_id"],
            lambda new: {"version": new.version, "out_of_order": new.out_of_order},
        ),
        [
            {"aggregate_type": k[0], "aggregate_id": k[1], "version": v, "out_of_order": o}
            for k, (v, o) in seen.items()
            if k in keys
        ],
    )
    return fresh
