"""Reports as of a past moment: the kept event history replayed into a scratch database,
through the same projection code the live consumer uses."""

from __future__ import annotations

import asyncio
import functools
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, create_model
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.history import snapshots
from services.reporting.projections import apply
from shared.consumer import ReceivedEvent
from shared.contracts import contract_for
from shared.db import Database
from shared.envelope import EventEnvelope, as_utc

BATCH = 5000


@functools.cache
def _kept_form(event_type: str) -> type[BaseModel] | None:
    """How the history keeps an event of this type: ``{"data": <the contract>}``."""
    contract = contract_for(event_type)
    return create_model(f"Kept{contract.__name__}", data=(contract, ...)) if contract else None


_t = tables.events
# The kept event as the replay reads it, unpacked by position: a row's attributes by name
# cost a microsecond each, a tenth of the event's decoding.
_KEPT = (_t.c.seq, _t.c.event_id, _t.c.stream, _t.c.type, _t.c.aggregate_type,
         _t.c.aggregate_id, _t.c.aggregate_version, _t.c.occurred_at, _t.c.correlation_id,
         _t.c.data)  # fmt: skip


def _decoded(row) -> apply.Decoded:  # type: ignore[no-untyped-def]
    """A kept event, its data decoded against its contract straight from the kept JSON."""
    seq, event_id, stream, type_, aggregate_type, aggregate_id, version, at, correlation, data = row
    form = _kept_form(type_)
    payload = form.model_validate_json(data).data if form else None  # type: ignore[attr-defined]
    # The data travels decoded beside the envelope, so it is not parsed a second time.
    envelope = EventEnvelope(
        id=event_id,
        source=f"/irp/{stream}",
        type=type_,
        time=as_utc(at),
        subject=f"{aggregate_type}/{aggregate_id}",
        aggregatetype=aggregate_type,
        aggregateid=aggregate_id,
        aggregateversion=version,
        correlationid=correlation,
        data={},
    )
    return apply.Decoded(ReceivedEvent(envelope, stream, 0, seq), payload, data)


Source = Database | AsyncSession


@asynccontextmanager
async def reading(source: Source) -> AsyncIterator[AsyncSession]:
    """A session to read ``source`` with: a session given is a transaction its caller holds
    open, so that every read sees the same state of the database."""
    if isinstance(source, AsyncSession):
        yield source
        return
    async with source.unit_of_work(write=False, consistent=True) as session:
        yield session


async def replay(
    source: Source,
    target: Database,
    until: datetime | None = None,
    after: int = 0,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Feed ``source``'s kept events (those after ``after`` that occurred by ``until``) into
    ``target``, reading the next batch while the last one is applied; ``progress`` is told
    how many are replayed after each batch."""
    t = tables.events
    query = select(*_KEPT).order_by(t.c.seq)
    if until is not None:
        query = query.where(t.c.occurred_at <= until)

    async def batch_after(seq: int) -> list[Any]:
        async with reading(source) as session:
            return list((await session.execute(query.where(t.c.seq > seq).limit(BATCH))).all())

    replayed, rows = 0, await batch_after(after)
    while rows:
        following = asyncio.create_task(batch_after(rows[-1].seq))
        try:
            async with target.unit_of_work() as session:
                await apply.apply_decoded(session, [_decoded(r) for r in rows])
        except BaseException:
            following.cancel()
            raise
        replayed += len(rows)
        if progress:
            progress(replayed)
        rows = await following
    return replayed


@asynccontextmanager
async def as_of(
    source: Database, moment: datetime, snapshot_dir: Path | None = None
) -> AsyncIterator[Database]:
    """A throw-away reporting database holding what had happened by ``moment``: the newest
    fitting snapshot (if any) and the events that followed it."""
    folder = tempfile.mkdtemp(prefix="irp-as-of-")
    path = Path(folder) / "as_of.db"
    start = snapshots.usable(snapshot_dir, moment)
    if start is not None:
        await asyncio.to_thread(shutil.copyfile, start.path, path)
    scratch = Database(f"sqlite:///{path}", durable=False)
    try:
        if start is None:
            async with scratch.engine.begin() as conn:
                await conn.run_sync(tables.metadata.create_all)
        await replay(source, scratch, moment, after=start.seq if start else 0)
        yield scratch
    finally:
        await scratch.dispose()
        shutil.rmtree(folder, ignore_errors=True)
