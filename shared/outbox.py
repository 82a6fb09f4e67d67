"""The transactional outbox: an event row written in the same transaction as the state change.

Use cases call :meth:`Outbox.add` inside their unit of work; :class:`shared.relay.OutboxRelay`
publishes the rows afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    func,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shared.contracts.base import EventData
from shared.db import insert_row
from shared.envelope import EventEnvelope, utcnow
from shared.observability import correlation_id

_ID = BigInteger().with_variant(Integer(), "sqlite")


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("id", _ID, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("message_key", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("occurred_at", DateTime(timezone=True), nullable=False),
        Column("payload", Text, nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text, nullable=True),
        Index(
            "ix_outbox_pending",
            "id",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
        Index("ix_outbox_occurred_at", "occurred_at"),
    )


def notify_channel(service: str) -> str:
    return f"irp_outbox_{service}"


# The outboxes a session's transaction wrote to: their relays are woken once it commits
# (a unit of work's session ends with its transaction: a rolled back one wakes nobody).
# Listened to once for every session: a listener added per transaction cost more than
# writing the outbox row.
_TO_WAKE = "outboxes_to_wake"


@event.listens_for(Session, "after_commit")
def _wake_relays(session: Session) -> None:
    for outbox in session.info.pop(_TO_WAKE, ()):
        outbox.wake()


class Outbox:
    """Writes a service's events into its outbox and wakes the relay after commit."""

    def __init__(self, service: str, table: Table, topic: str) -> None:
        self.service = service
        self.table = table
        self.topic = topic
        self._wake = asyncio.Event()

    async def add(
        self,
        session: AsyncSession,
        payload: EventData,
        *,
        aggregate_id: str,
        aggregate_version: int,
    ) -> EventEnvelope:
        envelope = EventEnvelope.wrap(
            payload,
            service=self.service,
            aggregate_id=aggregate_id,
            aggregate_version=aggregate_version,
            correlation_id=correlation_id.get(),
        )
        await insert_row(
            session,
            self.table,
            {
                "event_id": envelope.id,
                "topic": self.topic,
                "message_key": aggregate_id,
                "event_type": envelope.type,
                "occurred_at": envelope.time,
                "payload": envelope.model_dump_json(),
            },
        )
        await self._wake_relay_after_commit(session)
        return envelope

    async def record(
        self,
        session: AsyncSession,
        events: Sequence[EventData],
        *,
        aggregate_id: str,
        last_version: int,
    ) -> None:
        """Record the ``events`` of one change; the last of them carries ``last_version``
        (the aggregate's version after the change: one version per event)."""
        first = last_version - len(events) + 1
        for offset, payload in enumerate(events):
            await self.add(
                session, payload, aggregate_id=aggregate_id, aggregate_version=first + offset
            )

    async def _wake_relay_after_commit(self, session: AsyncSession) -> None:
        waking: set[Outbox] = session.info.setdefault(_TO_WAKE, set())
        if self in waking:
            return
        waking.add(self)
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            # Delivered to relays in other processes when the transaction commits.
            await session.execute(
                text("SELECT pg_notify(:channel, '')"),
                {"channel": notify_channel(self.service)},
            )

    def wake(self) -> None:
        self._wake.set()

    async def wait_for_work(self, timeout: float) -> bool:
        """Until a commit that wrote to this outbox (True), or ``timeout`` seconds (False)."""
        woken = False
        with contextlib.suppress(TimeoutError):
            woken = await asyncio.wait_for(self._wake.wait(), timeout)
        self._wake.clear()
        return woken

    # --- queries used by the relay and the operators' commands ---

    def pending(self, limit: int, exclude: list[int] | None = None):  # type: ignore[no-untyped-def]
        """Unpublished rows in commit-safe id order, without those already sent."""
        t = self.table
        query = select(t.c.id, t.c.topic, t.c.message_key, t.c.payload).where(
            t.c.published_at.is_(None)
        )
        if exclude:
            query = query.where(t.c.id.not_in(exclude))
        return query.order_by(t.c.id).limit(limit)

    def pending_stats(self):  # type: ignore[no-untyped-def]
        t = self.table
        return select(func.count(), func.min(t.c.occurred_at)).where(t.c.published_at.is_(None))

    def mark_published(self, ids: list[int]):  # type: ignore[no-untyped-def]
        t = self.table
        return update(t).where(t.c.id.in_(ids)).values(published_at=utcnow())

    def record_failure(self, ids: list[int], error: str):  # type: ignore[no-untyped-def]
        t = self.table
        return (
            update(t)
            .where(t.c.id.in_(ids))
            .values(attempts=t.c.attempts + 1, last_error=error[:2000])
        )

    def republish_since(self, since: datetime):  # type: ignore[no-untyped-def]
        t = self.table
        return (
            update(t)
            .where(t.c.occurred_at >= since, t.c.published_at.is_not(None))
            .values(published_at=None)
        )
