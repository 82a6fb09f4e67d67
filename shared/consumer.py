"""The consuming side: apply each event's effect exactly once, then commit the Kafka offset.

* Each batch is applied in one database transaction together with the ids of
  the events it applied (the inbox); ids already there are skipped.
* The Kafka offset is committed only after that transaction committed.
* A message that keeps failing goes to the dead-letter topic after bounded
  retries, and is recorded in the inbox so the stream moves on. Database or
  broker outages are not the message's fault: those are retried until they end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.subscriber.usecase import LogicSubscriber
from pydantic import ValidationError
from sqlalchemy import (
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    insert,
    select,
)
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import Database
from shared.envelope import EventEnvelope, utcnow
from shared.kafka import OutgoingMessage, Publisher, ensure_topics, new_broker, set_fetch_wait
from shared.observability import (
    CONSUMER_LAG,
    CONSUMER_RETRIES,
    DEAD_LETTERED,
    DUPLICATES_SKIPPED,
    EVENTS_APPLIED,
    correlation_id,
)

log = logging.getLogger(__name__)


def inbox_table(metadata: MetaData) -> Table:
    """Event ids a consumer group has handled, written with the effect they had."""
    return Table(
        "inbox",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(200), primary_key=True),
        Column("outcome", String(20), nullable=False),
        Column("handled_at", DateTime(timezone=True), nullable=False),
    )


@dataclass(frozen=True)
class ReceivedEvent:
    envelope: EventEnvelope
    topic: str
    partition: int
    offset: int


ApplyBatch = Callable[[AsyncSession, Sequence[ReceivedEvent]], Awaitable[None]]


@dataclass(frozen=True)
class FetchPace:
    """How long a fetch waits at the broker for events: ``busy_wait_ms`` while they flow,
    ``idle_wait_ms`` once none came for ``idle_after_seconds``; and how long an empty poll
    of the fetched records waits before the next (FastStream then pauses as long again).
    The first event after a quiet spell can wait about ``idle_wait_ms`` + ``idle_batch_ms``
    on a broker that does not answer a waiting fetch early (the embedded one)."""

    busy_wait_ms: int
    idle_wait_ms: int
    idle_after_seconds: float
    busy_batch_ms: int = 100
    idle_batch_ms: int = 1000
    check_seconds: float = 1.0

    def wait_ms(self, quiet: bool) -> int:
        return self.idle_wait_ms if quiet else self.busy_wait_ms

    def batch_ms(self, quiet: bool) -> int:
        return self.idle_batch_ms if quiet else self.busy_batch_ms


class PoisonMessage(Exception):
    """A message that can never be applied, whatever the retries."""


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError | ConnectionError | OSError | asyncio.TimeoutError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


class EventConsumer:
    def __init__(
        self,
        *,
        service: str,
        db: Database,
        inbox: Table,
        topics: Sequence[str],
        group_id: str,
        dead_letter_topic: str,
        bootstrap: str,
        apply: ApplyBatch,
        partitions: int = 3,
        batch_size: int = 500,
        max_attempts: int = 3,
        retry_backoff: float = 0.2,
        session_timeout_ms: int = 10_000,
        pace: FetchPace,
    ) -> None:
        self.service = service
        self.db = db
        self.inbox = inbox
        self.topics = list(topics)
        self.group_id = group_id
        self.dead_letter_topic = dead_letter_topic
        self.bootstrap = bootstrap
        self.apply = apply
        self.partitions = partitions
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.retry_backoff = retry_backoff
        self.session_timeout_ms = session_timeout_ms
        self.pace = pace
        self.dead_letters = Publisher(bootstrap)
        self._broker: KafkaBroker | None = None
        self._subscriber: LogicSubscriber | None = None
        self._starter: asyncio.Task[None] | None = None
        self._pacer: asyncio.Task[None] | None = None
        self._events_at = 0.0  # the loop's time of the last batch received
        self._quiet = False

    # --- lifecycle ---

    def start(self) -> None:
        """Connect in the background, retrying while the broker is away."""
        self._starter = asyncio.create_task(self._connect(), name=f"consumer-{self.group_id}")

    async def _connect(self) -> None:
        delay = 0.2
        while True:
            try:
                await ensure_topics(
                    self.bootstrap, [*self.topics, self.dead_letter_topic], self.partitions
                )
                broker = new_broker(self.bootstrap)
                subscriber = broker.subscriber(
                    *self.topics,
                    group_id=self.group_id,
                    batch=True,
                    max_records=self.batch_size,
                    batch_timeout_ms=self.pace.batch_ms(False),
                    ack_policy=AckPolicy.MANUAL,
                    auto_offset_reset="earliest",
                    fetch_max_wait_ms=self.pace.wait_ms(False),
                    consumer_timeout_ms=1000,
                    session_timeout_ms=self.session_timeout_ms,
                    heartbeat_interval_ms=max(100, self.session_timeout_ms // 3),
                )
                subscriber(self._on_batch)
                await broker.start()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("consumer cannot connect yet", extra={"error": type(exc).__name__})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self._broker, self._subscriber = broker, subscriber
            self._events_at = asyncio.get_running_loop().time()
            self._pacer = asyncio.create_task(self._keep_pace(), name=f"pace-{self.group_id}")
            log.info("consumer started", extra={"group": self.group_id, "topics": self.topics})
            return

    async def _keep_pace(self) -> None:
        """Long fetches once the streams have been quiet for a while, short ones while events
        flow: a broker that does not answer a waiting fetch as soon as data arrives (the
        embedded one) would otherwise be asked twenty times a second for nothing."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.pace.check_seconds)
            self._set_quiet(loop.time() - self._events_at >= self.pace.idle_after_seconds)

    def _set_quiet(self, quiet: bool) -> None:
        subscriber = self._subscriber
        if quiet == self._quiet or subscriber is None or subscriber.consumer is None:
            return
        set_fetch_wait(subscriber.consumer, self.pace.wait_ms(quiet))
        subscriber.batch_timeout_ms = self.pace.batch_ms(quiet)
        self._quiet = quiet

    async def stop(self) -> None:
        for task in (self._starter, self._pacer):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._broker is not None:
            await self._broker.stop()
            self._broker = None
        await self.dead_letters.close()

    @property
    def ready(self) -> bool:
        """Connected, and the group gave this consumer its partitions."""
        consumer = self._subscriber.consumer if self._subscriber else None
        return consumer is not None and bool(consumer.assignment())

    @property
    def quiet(self) -> bool:
        """No events for ``pace.idle_after_seconds``: fetching at the idle pace."""
        return self._quiet

    # --- handling ---

    async def _on_batch(self, body: list, msg: KafkaMessage) -> None:
        raw = msg.raw_message
        records: Sequence[ConsumerRecord] = raw if isinstance(raw, tuple | list) else (raw,)
        self._events_at = asyncio.get_running_loop().time()
        self._set_quiet(False)
        await self.handle(records)
        await msg.ack()
        await self._record_lag()

    async def handle(self, records: Sequence[ConsumerRecord]) -> None:
        """Apply a batch exactly once; return when each record is applied or dead-lettered."""
        events: list[ReceivedEvent] = []
        for record in records:
            try:
                events.append(_parse(record))
            except PoisonMessage as exc:
                await self._dead_letter_unparsed(record, str(exc))
        if not events:
            return
        try:
            await self._apply_in_one_transaction(events)
        except Exception:
            log.warning("batch failed, applying its events one by one", exc_info=True)
            for event in events:
                await self._apply_with_retries(event)

    async def _apply_in_one_transaction(self, events: Sequence[ReceivedEvent]) -> None:
        async with self.db.unit_of_work() as session:
            fresh = await self._skip_handled(session, events)
            if fresh:
                await self.apply(session, fresh)
                await self._remember(session, [e.envelope.id for e in fresh], "applied")
        applied = Counter((e.topic, e.envelope.type) for e in fresh)
        for (topic, event_type), n in applied.items():
            EVENTS_APPLIED.labels(self.service, topic, event_type).inc(n)

    async def _handled_ids(self, session: AsyncSession, ids: Sequence[str]) -> set[str]:
        t = self.inbox
        query = select(t.c.event_id).where(t.c.consumer == self.group_id, t.c.event_id.in_(ids))
        return set((await session.execute(query)).scalars())

    async def _skip_handled(
        self, session: AsyncSession, events: Sequence[ReceivedEvent]
    ) -> list[ReceivedEvent]:
        handled = await self._handled_ids(session, [e.envelope.id for e in events])
        fresh: list[ReceivedEvent] = []
        for e in events:
            if e.envelope.id in handled:
                DUPLICATES_SKIPPED.labels(self.service, e.topic).inc()
                continue
            handled.add(e.envelope.id)
            fresh.append(e)
        return fresh

    async def _remember(self, session: AsyncSession, ids: Sequence[str], outcome: str) -> None:
        now = utcnow()
        await session.execute(
            insert(self.inbox),
            [
                {"consumer": self.group_id, "event_id": i, "outcome": outcome, "handled_at": now}
                for i in ids
            ],
        )

    async def _apply_with_retries(self, event: ReceivedEvent) -> None:
        token = correlation_id.set(event.envelope.correlationid)
        try:
            attempt = 0
            while True:
                try:
                    await self._apply_in_one_transaction([event])
                    return
                except Exception as exc:
                    CONSUMER_RETRIES.labels(self.service, event.topic).inc()
                    if _is_transient(exc):
                        log.warning("transient failure applying event, will retry", exc_info=True)
                        await asyncio.sleep(min(5.0, self.retry_backoff * 2 ** min(attempt, 5)))
                        continue
                    attempt += 1
                    if attempt >= self.max_attempts:
                        await self._dead_letter_event(event, exc)
                        return
                    await asyncio.sleep(self.retry_backoff * 2 ** (attempt - 1))
        finally:
            correlation_id.reset(token)

    # --- dead letters ---

    async def _dead_letter_event(self, event: ReceivedEvent, exc: Exception) -> None:
        log.error(
            "event dead-lettered after retries",
            extra={"event_id": event.envelope.id, "type": event.envelope.type, "error": repr(exc)},
        )
        await self._send_dead_letter(
            key=event.envelope.aggregateid,
            value=event.envelope.to_bytes(),
            origin=(event.topic, event.partition, event.offset),
            error=f"{type(exc).__name__}: {exc}",
            inbox_id=event.envelope.id,
        )

    async def _dead_letter_unparsed(self, record: ConsumerRecord, error: str) -> None:
        log.error(
            "unreadable message dead-lettered",
            extra={"topic": record.topic, "partition": record.partition, "offset": record.offset},
        )
        await self._send_dead_letter(
            key=(record.key or b"").decode(errors="replace"),
            value=record.value or b"",
            origin=(record.topic, record.partition, record.offset),
            error=error,
            inbox_id=f"{record.topic}:{record.partition}:{record.offset}",
        )

    async def _send_dead_letter(
        self, *, key: str, value: bytes, origin: tuple[str, int, int], error: str, inbox_id: str
    ) -> None:
        topic, partition, offset = origin
        message = OutgoingMessage(
            topic=self.dead_letter_topic,
            key=key,
            value=value,
            headers={
                "x-original-topic": topic,
                "x-original-partition": str(partition),
                "x-original-offset": str(offset),
                "x-consumer-group": self.group_id,
                "x-error": error[:1000],
            },
        )
        await _until_done(lambda: self.dead_letters.publish_many([message]), "dead-letter publish")

        async def remember() -> None:
            async with self.db.unit_of_work() as session:
                if inbox_id not in await self._handled_ids(session, [inbox_id]):
                    await self._remember(session, [inbox_id], "dead_lettered")

        await _until_done(remember, "dead-letter record")
        DEAD_LETTERED.labels(self.service, topic).inc()

    # --- lag ---

    async def _record_lag(self) -> None:
        consumer = self._subscriber.consumer if self._subscriber else None
        if consumer is None:
            return
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            if high is None:
                continue
            position = await consumer.position(tp)
            CONSUMER_LAG.labels(self.service, tp.topic, str(tp.partition)).set(
                max(0, high - position)
            )


async def _until_done(step: Callable[[], Awaitable[None]], what: str) -> None:
    delay = 0.2
    while True:
        try:
            await step()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("%s failed, retrying", what, exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


def _parse(record: ConsumerRecord) -> ReceivedEvent:
    try:
        envelope = EventEnvelope.from_bytes(record.value or b"")
    except ValidationError as exc:
        raise PoisonMessage(f"not an event envelope: {exc.error_count()} error(s)") from exc
    return ReceivedEvent(envelope, record.topic, record.partition, record.offset)
