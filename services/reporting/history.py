"""Reports as of a past moment: the kept event history replayed into a scratch database,
through the same projection code the live consumer uses."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import select

from services.reporting import projections, tables
from shared.consumer import ReceivedEvent
from shared.db import Database
from shared.envelope import EventEnvelope, as_utc

BATCH = 2000


def _received(row) -> ReceivedEvent:  # type: ignore[no-untyped-def]
    envelope = EventEnvelope(
        id=row.event_id,
        source=f"/irp/{row.stream}",
        type=row.type,
        time=as_utc(row.occurred_at),
        subject=f"{row.aggregate_type}/{row.aggregate_id}",
        aggregatetype=row.aggregate_type,
        aggregateid=row.aggregate_id,
        aggregateversion=row.aggregate_version,
        correlationid=row.correlation_id,
        data=json.loads(row.data)["data"],
    )
    return ReceivedEvent(envelope, row.stream, 0, row.seq)


async def replay(source: Database, target: Database, until: datetime | None = None) -> int:
    """Feed ``source``'s kept events (those that occurred by ``until``) into ``target``."""
    t = tables.events
    query = select(t).order_by(t.c.seq)
    if until is not None:
        query = query.where(t.c.occurred_at <= until)
    replayed, after = 0, 0
    while True:
        async with source.unit_of_work(write=False) as session:
            rows = (await session.execute(query.where(t.c.seq > after).limit(BATCH))).all()
        if not rows:
            return replayed
        async with target.unit_of_work() as session:
            await projections.apply_events(session, [_received(r) for r in rows])
        replayed += len(rows)
        after = rows[-1].seq


@asynccontextmanager
async def as_of(source: Database, moment: datetime) -> AsyncIterator[Database]:
    """A throw-away reporting database holding what had happened by ``moment``."""
    folder = tempfile.mkdtemp(prefix="irp-as-of-")
    scratch = Database(f"sqlite:///{folder}/as_of.db")
    try:
        async with scratch.engine.begin() as conn:
            await conn.run_sync(tables.metadata.create_all)
        await replay(source, scratch, moment)
        yield scratch
    finally:
        await scratch.dispose()
        shutil.rmtree(folder, ignore_errors=True)
