"""Kafka clients through FastStream (on aiokafka): topic creation and a confirmed publisher."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.client import AIOKafkaClient
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutgoingMessage:
    topic: str
    key: str
    value: bytes
    headers: dict[str, str]


async def ensure_topics(bootstrap: str, names: Sequence[str], partitions: int) -> None:
    """Create the topics that do not exist yet (idempotent)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in names if n not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [NewTopic(n, num_partitions=partitions, replication_factor=1) for n in missing]
                )
    finally:
        await admin.close()


def new_broker(bootstrap: str, *, request_timeout_ms: int = 10_000) -> KafkaBroker:
    """A FastStream broker whose producer waits for all in-sync replicas (``acks=all``).

    Idempotent and transactional producers are off on purpose: the outbox and
    the consumers' dedupe carry the delivery guarantee.
    """
    return KafkaBroker(
        bootstrap,
        acks="all",
        enable_idempotence=False,
        request_timeout_ms=request_timeout_ms,
        linger_ms=0,
        logger=None,
    )


class Publisher:
    """Publishes batches and returns only once Kafka acknowledged every message."""

    def __init__(self, bootstrap: str, *, timeout: float = 15.0) -> None:
        self.bootstrap = bootstrap
        self.timeout = timeout
        self._broker: KafkaBroker | None = None

    async def connect(self) -> None:
        if self._broker is None:
            broker = new_broker(self.bootstrap)
            await broker.start()
            self._broker = broker

    async def publish_many(self, messages: Sequence[OutgoingMessage]) -> None:
        await self.connect()
        assert self._broker is not None
        try:
            futures = [
                await self._broker.publish(
                    m.value, m.topic, key=m.key.encode(), headers=m.headers, no_confirm=True
                )
                for m in messages
            ]
            await asyncio.wait_for(asyncio.gather(*futures), self.timeout)
        except BaseException:
            await self.close()  # a fresh client next time: no half-sent state carried over
            raise

    async def close(self) -> None:
        broker, self._broker = self._broker, None
        if broker is not None:
            try:
                await asyncio.wait_for(broker.stop(), 5)
            except Exception:  # closing a client whose broker is gone
                log.warning("kafka client did not close cleanly", exc_info=True)


def set_fetch_wait(consumer: AIOKafkaConsumer, wait_ms: int) -> None:
    """Change how long the consumer's next fetches wait at the broker. aiokafka reads the
    value each time it builds a fetch request but offers no setter: this is the one place
    that reaches into it (a test of the backbone checks that the requests sent follow it)."""
    consumer._fetcher._fetch_max_wait_ms = wait_ms


class BrokerProbe:
    """Whether the broker answers, asked over one kept connection: a metadata request per
    probe, not a new client's connection and handshake each time (which was most of what an
    idle service and its broker spent their time on)."""

    def __init__(self, bootstrap: str, timeout: float = 2.0) -> None:
        self.bootstrap = bootstrap
        self.timeout = timeout
        self._client: AIOKafkaClient | None = None
        self._connecting = asyncio.Lock()  # a probe and /health at once make one client

    async def answers(self) -> bool:
        try:
            client = await self._connected()
            await asyncio.wait_for(client.fetch_all_metadata(), self.timeout)
            return True
        except Exception:
            await self.close()  # a fresh connection next time
            return False

    async def _connected(self) -> AIOKafkaClient:
        async with self._connecting:
            if self._client is None:
                self._client = await self._bootstrapped()
            return self._client

    async def _bootstrapped(self) -> AIOKafkaClient:
        client = AIOKafkaClient(
            bootstrap_servers=self.bootstrap, request_timeout_ms=int(self.timeout * 1000)
        )
        try:
            await asyncio.wait_for(client.bootstrap(), self.timeout)
        except BaseException:
            with contextlib.suppress(Exception):
                await client.close()
            raise
        return client

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.close()
