"""The outbox relay: publishes outbox rows to Kafka in order and marks them published.

Rows are marked published in batches shortly after Kafka acknowledged them
(every ``MARK_INTERVAL_SECONDS`` or ``batch_size`` rows), so the relay takes
the database's write lock rarely; until then it remembers what it sent. If it
dies in between, those rows are sent again and the consumers skip them.

One relay publishes per service at a time: on PostgreSQL the replicas elect a
leader with an advisory lock (held on a dedicated connection, which also
LISTENs for commit notifications); SQLite is single-process by nature.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import zlib
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import Database
from shared.envelope import CONTENT_TYPE, as_utc, utcnow
from shared.kafka import OutgoingMessage, Publisher, ensure_topics
from shared.observability import (
    EVENTS_PUBLISHED,
    OUTBOX_OLDEST_AGE,
    OUTBOX_PENDING,
    PUBLISH_FAILURES,
    RELAY_LEADER,
)
from shared.outbox import Outbox, notify_channel

log = logging.getLogger(__name__)

TOPIC_RECHECK_SECONDS = 10.0
STATS_INTERVAL_SECONDS = 1.0  # the pending-count query, not on every busy round
MARK_INTERVAL_SECONDS = 0.2
LEADER_CHECK_SECONDS = 5.0


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        *,
        bootstrap: str,
        partitions: int = 3,
        batch_size: int = 500,
        poll_interval: float = 1.0,
        max_backoff: float = 10.0,
    ) -> None:
        self.db = db
        self.outbox = outbox
        self.service = outbox.service
        self.bootstrap = bootstrap
        self.partitions = partitions
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self.publisher = Publisher(bootstrap)
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._failures = 0
        self._leader_conn: AsyncConnection | None = None
        self._ready_topics: set[str] = set()
        self._topics_checked_at = 0.0
        self._stats_at = 0.0
        self._leader_checked_at = 0.0
        self._sent: list[int] = []  # acknowledged by Kafka, not yet marked published
        self._sent_at = 0.0

    # --- lifecycle ---

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=f"outbox-relay-{self.service}")

    async def stop(self) -> None:
        self._stopping = True
        self.outbox.wake()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        try:
            await asyncio.wait_for(self.flush_published(), 5)
        except Exception:
            log.warning("could not mark the last published rows; they will be sent again")
        await self.publisher.close()
        await self.release_leadership()

    async def run(self) -> None:
        while not self._stopping:
            try:
                if not await self._hold_leadership():
                    await asyncio.sleep(self.poll_interval)
                    continue
                published = await self.publish_pending_once()
                self._failures = 0
                if published < self.batch_size:
                    await self.outbox.wait_for_work(self._idle_wait())
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._failures += 1
                self._ready_topics.clear()
                PUBLISH_FAILURES.labels(self.service).inc()
                delay = self._backoff()
                log.warning(
                    "outbox relay failed, retrying",
                    extra={"error": type(exc).__name__, "retry_in_s": round(delay, 2)},
                )
                await self._refresh_stats_quietly()
                await asyncio.sleep(delay)

    def _idle_wait(self) -> float:
        if not self._sent:
            return self.poll_interval
        due = self._sent_at + MARK_INTERVAL_SECONDS - asyncio.get_running_loop().time()
        return max(0.0, min(self.poll_interval, due))

    def _backoff(self) -> float:
        base = min(self.max_backoff, 0.1 * 2 ** min(self._failures, 10))
        return base * (0.5 + random.random() / 2)

    # --- one round ---

    async def publish_pending_once(self) -> int:
        """Publish one batch of pending rows; returns how many were published."""
        async with self.db.unit_of_work(write=False) as session:
            query = self.outbox.pending(self.batch_size, exclude=self._sent)
            rows = (await session.execute(query)).all()
        if rows:
            await self._publish(rows)
            if not self._sent:
                self._sent_at = asyncio.get_running_loop().time()
            self._sent.extend(r.id for r in rows)
            by_topic: dict[str, int] = {}
            for r in rows:
                by_topic[r.topic] = by_topic.get(r.topic, 0) + 1
            for name, count in by_topic.items():
                EVENTS_PUBLISHED.labels(self.service, name).inc(count)
        now = asyncio.get_running_loop().time()
        if len(self._sent) >= self.batch_size or (
            self._sent and now - self._sent_at >= MARK_INTERVAL_SECONDS
        ):
            await self.flush_published()
        if not rows or now - self._stats_at >= STATS_INTERVAL_SECONDS:
            await self.refresh_stats()
            self._stats_at = now
        return len(rows)

    async def _publish(self, rows) -> None:  # type: ignore[no-untyped-def]
        await self._ensure_topics({r.topic for r in rows})
        await self.publisher.publish_many(
            [
                OutgoingMessage(
                    topic=r.topic,
                    key=r.message_key,
                    value=r.payload.encode(),
                    headers={"content-type": CONTENT_TYPE},
                )
                for r in rows
            ]
        )

    async def _ensure_topics(self, topics: set[str]) -> None:
        # Re-checked now and then: an embedded broker restarts empty.
        now = asyncio.get_running_loop().time()
        if now - self._topics_checked_at > TOPIC_RECHECK_SECONDS:
            self._ready_topics.clear()
        missing = topics - self._ready_topics
        if missing:
            await ensure_topics(self.bootstrap, sorted(missing), self.partitions)
            self._ready_topics |= missing
            self._topics_checked_at = now

    async def flush_published(self) -> None:
        """Mark every row Kafka acknowledged as published."""
        if self._sent:
            await self._mark_published(self._sent)
            self._sent = []

    async def _mark_published(self, ids: list[int]) -> None:
        async with self.db.unit_of_work() as session:
            await session.execute(self.outbox.mark_published(ids))

    async def refresh_stats(self) -> tuple[int, datetime | None]:
        async with self.db.unit_of_work(write=False) as session:
            count, oldest = (await session.execute(self.outbox.pending_stats())).one()
        OUTBOX_PENDING.labels(self.service).set(count)
        age = 0.0
        if oldest is not None:
            age = max(0.0, (utcnow() - as_utc(oldest)).total_seconds())
        OUTBOX_OLDEST_AGE.labels(self.service).set(age)
        return count, oldest

    async def _refresh_stats_quietly(self) -> None:
        try:
            await self.refresh_stats()
        except Exception:
            log.warning("outbox stats unavailable", exc_info=True)

    # --- leadership (PostgreSQL) ---

    def _lock_key(self) -> int:
        return zlib.crc32(f"irp-outbox-relay-{self.service}".encode())

    async def _hold_leadership(self) -> bool:
        if self.db.dialect != "postgresql":
            RELAY_LEADER.labels(self.service).set(1)
            return True
        if self._leader_conn is not None:
            if await self._still_leader():
                return True
            await self.release_leadership()
        conn = await self.db.engine.connect()
        try:
            got = (
                await conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({self._lock_key()})")
            ).scalar()
            await conn.commit()
            if not got:
                await conn.close()
                RELAY_LEADER.labels(self.service).set(0)
                return False
            raw = await conn.get_raw_connection()
            await raw.driver_connection.add_listener(
                notify_channel(self.service), lambda *_: self.outbox.wake()
            )
        except BaseException:
            await conn.close()
            raise
        self._leader_conn = conn
        self._leader_checked_at = asyncio.get_running_loop().time()
        RELAY_LEADER.labels(self.service).set(1)
        log.info("outbox relay is the leader")
        return True

    async def _still_leader(self) -> bool:
        """The lock lives as long as its session: check that now and then."""
        now = asyncio.get_running_loop().time()
        if now - self._leader_checked_at < LEADER_CHECK_SECONDS:
            return True
        self._leader_checked_at = now
        try:
            assert self._leader_conn is not None
            await asyncio.wait_for(self._leader_conn.exec_driver_sql("SELECT 1"), 5)
            await self._leader_conn.commit()
            return True
        except Exception:
            log.warning("lost the relay lock's database session; standing down")
            return False

    async def release_leadership(self) -> None:
        conn, self._leader_conn = self._leader_conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.invalidate()  # closing the session releases the advisory lock
        RELAY_LEADER.labels(self.service).set(0)
