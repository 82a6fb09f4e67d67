"""Faults: a consumer killed mid-stream, the broker paused, the broker restarted empty."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import func, select

from services.cli import main as irp
from services.reporting import tables as reporting_tables
from services.visits import tables as visits_tables
from services.visits import usecases
from shared.contracts.base import LocalizedText
from shared.db import Database
from shared.envelope import utcnow
from shared.writes import UnitOfWork
from tests.harness import VISIT, auth, count_rows, env_for, eventually, running, settings_for

EVENTS = 1200


async def _write_visits(db: Database, outbox, n: int, per_transaction: int = 100) -> None:  # type: ignore[no-untyped-def]
    title = LocalizedText(en="Visit")
    for start in range(0, n, per_transaction):
        async with db.unit_of_work() as session:
            for _ in range(min(per_transaction, n - start)):
                await usecases.register_visit(
                    UnitOfWork(session, outbox),
                    {"direction": "incoming", "kind": "working", "country_code": "DE",
                     "title": title},
                )  # fmt: skip


def _start_worker(settings) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, "-m", "services.cli", "worker", "reporting"],
        env={**os.environ, **env_for(settings)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _applied(db: Database) -> int:
    try:
        return await count_rows(db, reporting_tables.events)
    except Exception:  # the worker has not created its tables yet
        return 0


async def _assert_each_event_applied_exactly_once(db: Database, expected: int) -> None:
    events = reporting_tables.events
    async with db.unit_of_work(write=False) as session:
        total = (await session.execute(select(func.count()).select_from(events))).scalar_one()
        distinct = (
            await session.execute(select(func.count(func.distinct(events.c.event_id))))
        ).scalar_one()
        inbox = (
            await session.execute(select(func.count()).select_from(reporting_tables.inbox))
        ).scalar_one()
        counted = (
            await session.execute(
                select(func.sum(reporting_tables.stream_positions.c.events_applied))
            )
        ).scalar_one()
    assert (total, distinct, inbox, counted) == (expected, expected, expected, expected)


async def test_a_consumer_killed_mid_stream_applies_every_event_exactly_once(
    databases, kafka, prefix
):
    visits_settings = settings_for("visits", await databases.new("v"), kafka.bootstrap, prefix)
    reporting_settings = settings_for(
        "reporting", await databases.new("r"), kafka.bootstrap, prefix, consumer_batch_size=20
    )
    async with running("visits", visits_settings) as visits:
        await _write_visits(visits.db, visits.ctx.outbox, EVENTS)
        pending = visits_tables.outbox.c.published_at.is_(None)

        async def drained() -> bool:
            return await count_rows(visits.db, visits_tables.outbox, pending) == 0

        await eventually(drained)

    reporting_db = Database(reporting_settings.effective_database_url)
    worker = _start_worker(reporting_settings)
    try:
        await eventually(lambda: _at_least(reporting_db, 300), timeout=60, interval=0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        killed_at = await _applied(reporting_db)
        assert 0 < killed_at < EVENTS, "the kill must land in the middle of the stream"

        worker = _start_worker(reporting_settings)
        await eventually(lambda: _at_least(reporting_db, EVENTS), timeout=90)
        await asyncio.sleep(1.0)  # anything applied twice would show up now
        await _assert_each_event_applied_exactly_once(reporting_db, EVENTS)
    finally:
        worker.terminate()
        worker.wait(10)
        await reporting_db.dispose()


async def _at_least(db: Database, n: int) -> bool:
    return await _applied(db) >= n


async def test_while_the_broker_is_paused_writes_go_on_and_drain_after(
    databases, own_kafka, prefix
):
    visits_settings = settings_for("visits", await databases.new("v"), own_kafka.bootstrap, prefix)
    reporting_settings = settings_for(
        "reporting", await databases.new("r"), own_kafka.bootstrap, prefix
    )
    pending = visits_tables.outbox.c.published_at.is_(None)
    async with (
        running("visits", visits_settings) as visits,
        running("reporting", reporting_settings) as reporting,
    ):
        headers = auth()
        assert (
            await visits.client.post("/v1/visits", json=VISIT, headers=headers)
        ).status_code == 201
        await eventually(lambda: _at_least(reporting.db, 1))

        own_kafka.pause()
        try:
            for _ in range(30):
                answer = await visits.client.post("/v1/visits", json=VISIT, headers=headers)
                assert answer.status_code == 201
            await asyncio.sleep(0.5)
            assert await count_rows(visits.db, visits_tables.outbox, pending) == 30
        finally:
            own_kafka.resume()

        async def drained() -> bool:
            return await count_rows(visits.db, visits_tables.outbox, pending) == 0

        await eventually(drained, timeout=60)
        await eventually(lambda: _at_least(reporting.db, 31), timeout=60)
        await _assert_each_event_applied_exactly_once(reporting.db, 31)


async def test_after_the_broker_restarts_empty_a_republish_restores_reporting_exactly(
    databases, own_kafka, prefix, monkeypatch, capsys
):
    visits_settings = settings_for("visits", await databases.new("v"), own_kafka.bootstrap, prefix)
    reporting_settings = settings_for(
        "reporting", await databases.new("r"), own_kafka.bootstrap, prefix
    )
    started = utcnow() - timedelta(seconds=1)
    async with (
        running("visits", visits_settings) as visits,
        running("reporting", reporting_settings) as reporting,
    ):
        headers = auth()
        for _ in range(20):
            await visits.client.post("/v1/visits", json=VISIT, headers=headers)
        await eventually(lambda: _at_least(reporting.db, 20))

        own_kafka.restart()  # every topic, offset and group is gone
        for _ in range(5):
            await visits.client.post("/v1/visits", json=VISIT, headers=headers)

        for key, value in env_for(visits_settings).items():
            monkeypatch.setenv(key, value)
        await asyncio.to_thread(irp, ["republish", "visits", "--since", started.isoformat()])
        said = [line for line in capsys.readouterr().out.splitlines() if line.startswith("visits")]
        assert "queued to be sent again" in said[0], said  # those already sent: 20 or more
        assert said[-1] == "visits: every queued event is sent", said

        await eventually(lambda: _at_least(reporting.db, 25), timeout=60)
        await asyncio.sleep(1.0)
        await _assert_each_event_applied_exactly_once(reporting.db, 25)
