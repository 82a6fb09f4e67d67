"""The backbone's guarantees on the real broker and real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.consumer import fetcher
from prometheus_client import REGISTRY
from sqlalchemy import select

from services.reporting import tables as reporting_tables
from services.visits import tables as visits_tables
from services.visits import usecases
from shared import topics
from shared.contracts.base import LocalizedText
from shared.envelope import EventEnvelope
from shared.kafka import OutgoingMessage, Publisher, ensure_topics, set_fetch_wait
from shared.relay import OutboxRelay
from shared.writes import UnitOfWork
from tests.harness import VISIT, auth, count_rows, eventually, running, settings_for


class RelayCrashed(Exception):
    pass


class RelayCrashingAfterAck(OutboxRelay):
    """Dies after Kafka acknowledged the batch, before the rows are marked published."""

    async def _mark_published(self, ids: list[int]) -> None:
        raise RelayCrashed


def _visit_fields() -> dict:
    return {
        "direction": "incoming",
        "kind": "official",
        "country_code": "FR",
        "title": LocalizedText(en="Visit"),
    }


async def test_failure_before_commit_leaves_neither_the_row_nor_its_event(databases, kafka, prefix):
    settings = settings_for(
        "visits", await databases.new(), kafka.bootstrap, prefix, run_relay=False
    )
    async with running("visits", settings) as visits:
        outbox = visits.ctx.outbox
        with pytest.raises(RuntimeError):
            async with visits.db.unit_of_work() as session:
                await usecases.register_visit(UnitOfWork(session, outbox), _visit_fields())
                raise RuntimeError("crash between the state change and the commit")
        assert await count_rows(visits.db, visits_tables.visits) == 0
        assert await count_rows(visits.db, visits_tables.outbox) == 0

        async with visits.db.unit_of_work() as session:
            await usecases.register_visit(UnitOfWork(session, outbox), _visit_fields())
        assert await count_rows(visits.db, visits_tables.visits) == 1
        assert await count_rows(visits.db, visits_tables.outbox) == 1


async def test_relay_dying_after_the_ack_resends_and_the_consumer_applies_once(
    databases, kafka, prefix
):
    visits_settings = settings_for(
        "visits", await databases.new("visits"), kafka.bootstrap, prefix, run_relay=False
    )
    reporting_settings = settings_for(
        "reporting", await databases.new("reporting"), kafka.bootstrap, prefix
    )
    async with (
        running("visits", visits_settings) as visits,
        running("reporting", reporting_settings) as reporting,
    ):
        created = await visits.client.post("/v1/visits", json=VISIT, headers=auth())
        assert created.status_code == 201
        relay_args = {"bootstrap": kafka.bootstrap, "poll_interval": 0.1}
        crashing = RelayCrashingAfterAck(visits.db, visits.ctx.outbox, **relay_args)
        assert await crashing.publish_pending_once() == 1
        with pytest.raises(RelayCrashed):
            await crashing.flush_published()
        await crashing.publisher.close()
        pending = visits_tables.outbox.c.published_at.is_(None)
        assert await count_rows(visits.db, visits_tables.outbox, pending) == 1

        events = reporting_tables.events
        await eventually(lambda: _has_rows(reporting.db, events, 1))

        relay = OutboxRelay(visits.db, visits.ctx.outbox, **relay_args)
        assert await relay.publish_pending_once() == 1
        await relay.flush_published()
        await relay.publisher.close()
        assert await count_rows(visits.db, visits_tables.outbox, pending) == 0

        topic = prefix + topics.VISITS
        labels = {"service": "reporting", "topic": topic}
        await eventually(
            lambda: _metric("irp_consumer_duplicates_skipped_total", labels, at_least=1)
        )
        assert await count_rows(reporting.db, events) == 1
        assert await count_rows(reporting.db, reporting_tables.inbox) == 1


async def test_events_of_one_aggregate_are_applied_in_order(databases, kafka, prefix):
    visits_settings = settings_for("visits", await databases.new("v"), kafka.bootstrap, prefix)
    reporting_settings = settings_for(
        "reporting", await databases.new("r"), kafka.bootstrap, prefix
    )
    moves = ["planned", *["postponed", "planned", "confirmed"] * 5, "cancelled"]
    async with (
        running("visits", visits_settings) as visits,
        running("reporting", reporting_settings) as reporting,
    ):
        headers = auth()
        visit_id = (await visits.client.post("/v1/visits", json=VISIT, headers=headers)).json()[
            "id"
        ]
        head = {"name_latin": "Jean Dupont", "role": "head", "precedence": 1}
        added = await visits.client.post(
            f"/v1/visits/{visit_id}/delegation", json=head, headers=headers
        )
        assert added.status_code == 201, added.text
        visit_events = 2  # created, head of delegation added
        start = date(2026, 3, 2)
        for n, to in enumerate(moves):
            # Other aggregates interleave on the same topic.
            await visits.client.post("/v1/visits", json=VISIT, headers=headers)
            if to == "planned" and n > 0:  # back from postponed: new dates first
                start += timedelta(days=7)
                dates = {"start_date": str(start), "end_date": str(start + timedelta(days=2))}
                patched = await visits.client.patch(
                    f"/v1/visits/{visit_id}", json=dates, headers=headers
                )
                assert patched.status_code == 200, patched.text
                visit_events += 1
            body = {"to": to, "reason": f"step {n}"}
            answer = await visits.client.post(
                f"/v1/visits/{visit_id}/transitions", json=body, headers=headers
            )
            assert answer.status_code == 200, answer.text
            visit_events += 1
        expected_events = visit_events + len(moves)
        events = reporting_tables.events
        await eventually(lambda: _has_rows(reporting.db, events, expected_events))

        async with reporting.db.unit_of_work(write=False) as session:
            versions = (
                (
                    await session.execute(
                        select(events.c.aggregate_version)
                        .where(events.c.aggregate_id == visit_id)
                        .order_by(events.c.seq)
                    )
                )
                .scalars()
                .all()
            )
            projected = (
                await session.execute(
                    select(reporting_tables.visits).where(
                        reporting_tables.visits.c.visit_id == visit_id
                    )
                )
            ).one()
            gaps = (
                await session.execute(
                    select(reporting_tables.aggregate_versions.c.out_of_order).where(
                        reporting_tables.aggregate_versions.c.aggregate_id == visit_id
                    )
                )
            ).scalar_one()
        assert versions == list(range(1, visit_events + 1))
        assert projected.status == "cancelled"
        assert projected.version == visit_events
        assert gaps == 0


async def test_a_quiet_consumer_still_applies_the_next_event_and_is_busy_again(
    databases, kafka, prefix
):
    visits_settings = settings_for("visits", await databases.new("v"), kafka.bootstrap, prefix)
    reporting_settings = settings_for(
        "reporting", await databases.new("r"), kafka.bootstrap, prefix,
        consumer_idle_after_seconds=0.5, consumer_idle_fetch_wait_ms=1500,
    )  # fmt: skip
    async with (
        running("visits", visits_settings) as visits,
        running("reporting", reporting_settings) as reporting,
    ):
        consumer = reporting.ctx.consumers[0]

        async def quiet() -> bool:
            return consumer.ready and consumer.quiet

        await eventually(quiet)
        created = await visits.client.post("/v1/visits", json=VISIT, headers=auth())
        assert created.status_code == 201
        await eventually(lambda: _has_rows(reporting.db, reporting_tables.visits, 1))
        assert not consumer.quiet  # the batch that carried it set the short fetches again


async def test_the_fetch_wait_set_reaches_the_requests_aiokafka_sends(kafka, prefix, monkeypatch):
    """The guard on ``set_fetch_wait``: the one place that reaches into aiokafka."""
    sent: list[int] = []
    request = fetcher.FetchRequest

    def recording(max_wait_time: int, *args: object, **kwargs: object) -> object:
        sent.append(max_wait_time)
        return request(max_wait_time, *args, **kwargs)

    monkeypatch.setattr(fetcher, "FetchRequest", recording)
    topic = f"{prefix}pace"
    await ensure_topics(kafka.bootstrap, [topic], 1)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=kafka.bootstrap, fetch_max_wait_ms=50)
    await consumer.start()
    try:
        await consumer.getmany(timeout_ms=300)
        assert sent and set(sent) == {50}
        set_fetch_wait(consumer, 700)
        sent.clear()

        async def asked_with_the_new_wait() -> bool:
            await consumer.getmany(timeout_ms=100)
            return 700 in sent

        await eventually(asked_with_the_new_wait)
        assert set(sent) <= {50, 700}  # at most the request already on its way
    finally:
        await consumer.stop()


async def test_a_poison_message_is_dead_lettered_and_later_events_still_flow(
    databases, kafka, prefix
):
    visits_settings = settings_for("visits", await databases.new("v"), kafka.bootstrap, prefix)
    reporting_settings = settings_for(
        "reporting", await databases.new("r"), kafka.bootstrap, prefix
    )
    topic = prefix + topics.VISITS
    broken_contract = EventEnvelope(
        source="/irp/visits",
        type="irp.visits.VisitCreated.v1",
        subject="visit/x",
        aggregatetype="visit",
        aggregateid="x",
        aggregateversion=1,
        data={"visit_id": "x"},  # the contract's required fields are missing
    )
    async with (
        running("visits", visits_settings) as visits,
        running("reporting", reporting_settings) as reporting,
    ):
        publisher = Publisher(kafka.bootstrap)
        await publisher.publish_many(
            [
                OutgoingMessage(topic, "x", b"{not json", {}),
                OutgoingMessage(topic, "x", broken_contract.to_bytes(), {}),
            ]
        )
        await publisher.close()
        created = await visits.client.post("/v1/visits", json=VISIT, headers=auth())
        assert created.status_code == 201

        events = reporting_tables.events
        await eventually(lambda: _has_rows(reporting.db, events, 1))
        dead = await _read_topic(kafka.bootstrap, f"{prefix}irp.dlq.{prefix}reporting", 2)
        assert dead[0].value == b"{not json"
        assert json.loads(dead[1].value)["id"] == broken_contract.id
        assert dict(dead[1].headers)["x-original-topic"] == topic.encode()
        async with reporting.db.unit_of_work(write=False) as session:
            applied = (await session.execute(select(events.c.aggregate_id))).scalars().all()
        assert applied == [created.json()["id"]]
        labels = {"service": "reporting", "topic": topic}
        assert REGISTRY.get_sample_value("irp_consumer_dead_lettered_total", labels) == 2


async def _has_rows(db, table, n: int) -> bool:  # type: ignore[no-untyped-def]
    return await count_rows(db, table) >= n


async def _metric(name: str, labels: dict[str, str], at_least: float) -> bool:
    return (REGISTRY.get_sample_value(name, labels) or 0) >= at_least


async def _read_topic(bootstrap: str, topic: str, n: int) -> list:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    records: list = []
    try:
        while len(records) < n:
            batch = await consumer.getmany(timeout_ms=5000)
            if not batch:
                break
            for part in batch.values():
                records.extend(part)
    finally:
        await consumer.stop()
    return sorted(records, key=lambda r: (r.partition, r.offset))


async def test_the_request_correlation_id_travels_in_the_event_it_causes(databases, kafka, prefix):
    visits_settings = settings_for("visits", await databases.new("v"), kafka.bootstrap, prefix)
    reporting_settings = settings_for(
        "reporting", await databases.new("r"), kafka.bootstrap, prefix
    )
    async with (
        running("visits", visits_settings) as visits,
        running("reporting", reporting_settings) as reporting,
    ):
        headers = {**auth(), "X-Correlation-ID": "req-4711"}
        created = await visits.client.post("/v1/visits", json=VISIT, headers=headers)
        assert created.headers["x-correlation-id"] == "req-4711"
        events = reporting_tables.events
        await eventually(lambda: _has_rows(reporting.db, events, 1))
        async with reporting.db.unit_of_work(write=False) as session:
            carried = (await session.execute(select(events.c.correlation_id))).scalar_one()
        assert carried == "req-4711"


async def test_only_one_relay_replica_publishes_at_a_time_on_postgresql(postgres_url, kafka):
    from shared.db import Database
    from shared.outbox import Outbox

    db_a, db_b = Database(postgres_url), Database(postgres_url)
    relays = [
        OutboxRelay(db, Outbox("visits", visits_tables.outbox, "t"), bootstrap=kafka.bootstrap)
        for db in (db_a, db_b)
    ]
    try:
        assert await relays[0]._hold_leadership() is True
        assert await relays[1]._hold_leadership() is False
        await relays[0].release_leadership()
        assert await relays[1]._hold_leadership() is True
        assert await relays[0]._hold_leadership() is False
    finally:
        for relay in relays:
            await relay.release_leadership()
        await db_a.dispose()
        await db_b.dispose()
