"""How a writing service changes its state: one unit of work, the state and its events.

A use case opens a unit of work (:meth:`Writer.unit_of_work`), loads through its
repository, calls the domain, saves, and records the change's events with
:meth:`UnitOfWork.record`; all of it commits or none of it does. A service that
publishes events always has a :class:`Writer` (``ServiceContext.writer``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from shared.aggregates import Aggregate
from shared.contracts.base import EventData
from shared.db import Database
from shared.outbox import Outbox


@dataclass(frozen=True)
class UnitOfWork:
    """One database transaction of a writing service, with its outbox."""

    session: AsyncSession
    outbox: Outbox

    async def record(self, aggregate: Aggregate, events: Sequence[EventData]) -> None:
        """The events of a change to ``aggregate`` (saved at its new version)."""
        await self.outbox.record(
            self.session, events, aggregate_id=aggregate.id, last_version=aggregate.version
        )


@dataclass(frozen=True)
class Writer:
    db: Database
    outbox: Outbox

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        async with self.db.unit_of_work() as session:
            yield UnitOfWork(session, self.outbox)

    def joining(self, session: AsyncSession) -> UnitOfWork:
        """A unit of work inside a transaction someone else opened (a consumer's batch,
        an idempotent creation): it commits with that transaction."""
        return UnitOfWork(session, self.outbox)
