"""`make bench`: backbone figures, each beside a baseline measured in the same run.

Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from services.reporting import tables as reporting_tables
from services.visits import tables as visits_tables
from services.visits import usecases
from shared.auth import issue_token
from shared.contracts.base import LocalizedText
from shared.db import Database
from shared.embedded_broker import EmbeddedBroker, free_port, wait_for_port
from shared.envelope import as_utc
from shared.kafka import ensure_topics
from shared.migrations import upgrade_async
from shared.outbox import Outbox
from shared.settings import load_settings
from shared.writes import UnitOfWork
from tests.bench.loadgen import as_fast_as_possible, json_body, offer, request

EVENTS = int(os.environ.get("BENCH_EVENTS", "10000"))
API_REQUESTS = int(os.environ.get("BENCH_API_REQUESTS", "3000"))
CONCURRENCY = 16
FRESHNESS_RATE = int(os.environ.get("BENCH_FRESHNESS_RATE", "200"))
FRESHNESS_SECONDS = 10
IN_FLIGHT = 128  # connections; a write finding all of them busy counts as saturation
SECRET = "bench-secret-" + "z" * 40
VISIT = {
    "direction": "incoming",
    "kind": "official",
    "country_code": "FR",
    "title": {"en": "Visit of the French minister"},
    "start_date": "2026-12-01",
    "end_date": "2026-12-03",
}


class Stack:
    def __init__(self, root: Path, broker: EmbeddedBroker) -> None:
        self.root = root
        self.broker = broker
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def env(self, service: str, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "IRP_SERVICE": service,
            "IRP_VAR_DIR": str(self.root),
            "IRP_KAFKA_BOOTSTRAP": self.broker.bootstrap,
            "IRP_JWT_SECRET": SECRET,
            "IRP_LOG_LEVEL": "WARNING",
            **extra,
        }

    def url(self, service: str) -> str:
        return f"sqlite:///{self.root}/{service}.db"

    def serve(self, name: str, app: str, env: dict[str, str]) -> str:
        port = free_port()
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", app, "--port", str(port),
             "--no-access-log", "--log-level", "warning"],
            env=env,
        )  # fmt: skip
        wait_for_port(port, 60)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while httpx.get(f"{url}/health/ready").status_code != 200:
            assert time.monotonic() < deadline, f"{name} not ready"
            time.sleep(0.1)
        return url

    def worker(self, service: str, env: dict[str, str]) -> None:
        self.processes[f"{service}-worker"] = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "worker", service], env=env
        )

    def rss_mb(self) -> dict[str, float]:
        sizes = {}
        for name, p in self.processes.items():
            for line in Path(f"/proc/{p.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes[name] = int(line.split()[1]) / 1024
        return sizes

    def stop(self) -> None:
        for p in self.processes.values():
            p.terminate()
        for p in self.processes.values():
            p.wait(30)


async def count(db: Database, table) -> int:  # type: ignore[no-untyped-def]
    try:
        async with db.unit_of_work(write=False) as session:
            return (await session.execute(select(func.count()).select_from(table))).scalar_one()
    except Exception:
        return 0


async def wait_count(db: Database, table, n: int, timeout: float = 600) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    while await count(db, table) < n:
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{table.name}: fewer than {n} rows after {timeout}s")
        await asyncio.sleep(0.02)
    return time.perf_counter()


# --- 1. backbone throughput ---


async def plain_kafka_rate(bootstrap: str, n: int, size: int) -> float:
    topic = f"bench-plain-{time.time_ns()}"
    await ensure_topics(bootstrap, [topic], 3)
    value = b"x" * size
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=topic, auto_offset_reset="earliest",
        enable_auto_commit=False,
    )  # fmt: skip
    await consumer.start()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    started = time.perf_counter()
    futures = [await producer.send(topic, value, key=str(i % 1000).encode()) for i in range(n)]
    await asyncio.gather(*futures)
    received = 0
    while received < n:
        batch = await consumer.getmany(timeout_ms=1000, max_records=500)
        received += sum(len(v) for v in batch.values())
        await consumer.commit()
    elapsed = time.perf_counter() - started
    await producer.stop()
    await consumer.stop()
    return n / elapsed


async def backbone(stack: Stack) -> dict[str, float]:
    prefix = "bb."
    visits_db = Database(stack.url("bb-visits"))
    reporting_db = Database(stack.url("bb-reporting"))
    await upgrade_async("services.visits", visits_db.url)
    outbox = Outbox("visits", visits_tables.outbox, prefix + "irp.visits.events.v1")
    write_started = time.perf_counter()
    for start in range(0, EVENTS, 500):
        async with visits_db.unit_of_work() as session:
            for _ in range(min(500, EVENTS - start)):
                await usecases.register_visit(
                    UnitOfWork(session, outbox),
                    {"direction": "incoming", "kind": "working", "country_code": "FR",
                     "title": LocalizedText(en="Visit of the French minister")},
                )  # fmt: skip
    write_rate = EVENTS / (time.perf_counter() - write_started)
    async with visits_db.unit_of_work(write=False) as session:
        sizes = (
            await session.execute(select(func.avg(func.length(visits_tables.outbox.c.payload))))
        ).scalar_one()
    size = int(sizes)

    common = {"IRP_TOPIC_PREFIX": prefix}
    stack.worker("reporting", stack.env("reporting", IRP_DATABASE_URL=reporting_db.url, **common))
    await asyncio.sleep(5)  # the consumer joins its group before the clock starts
    started = time.perf_counter()
    stack.worker("visits", stack.env("visits", IRP_DATABASE_URL=visits_db.url, **common))
    finished = await wait_count(reporting_db, reporting_tables.events, EVENTS)
    with_start = EVENTS / (finished - started)  # includes the visits worker's start-up
    # the drain itself, as the baseline's clock starts with its clients started: from the
    # first event applied in reporting to the last
    applied = reporting_tables.events.c.applied_at
    async with reporting_db.unit_of_work(write=False) as session:
        first, last = (await session.execute(select(func.min(applied), func.max(applied)))).one()
    ours = (EVENTS - 1) / max((as_utc(last) - as_utc(first)).total_seconds(), 1e-6)
    plain = await plain_kafka_rate(stack.broker.bootstrap, EVENTS, size)
    for name in ("reporting-worker", "visits-worker"):
        stack.processes.pop(name).terminate()
    await visits_db.dispose()
    await reporting_db.dispose()
    return {"outbox_write": write_rate, "ours": ours, "with_start": with_start, "plain": plain,
            "size": size}  # fmt: skip


# --- 2. API write throughput ---


async def hammer(url: str, token: str, n: int) -> float:
    """POSTs a second with CONCURRENCY connections, by the light client (httpx's own cost
    would be measured too)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    post = request("POST", f"{url}/v1/visits", headers, json_body(VISIT))
    await as_fast_as_possible(url, lambda _: post, 50, 4, 201)  # warm-up
    return await as_fast_as_possible(url, lambda _: post, n, CONCURRENCY, 201)


async def api_on_postgres(stack: Stack, token: str) -> None:
    """The same comparison on PostgreSQL, the production database, when a server answers."""
    server = os.environ.get(
        "IRP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    try:
        admin = await asyncpg.connect(server, timeout=3)
    except Exception as exc:
        print(f"  (no PostgreSQL at {server}: {type(exc).__name__}; PostgreSQL run skipped)")
        return
    names = [f"irp_bench_{n}_{os.getpid()}" for n in ("visits", "bare")]
    try:
        for name in names:
            await admin.execute(f'CREATE DATABASE "{name}"')
        urls = [
            make_url(server).set(database=n).render_as_string(hide_password=False) for n in names
        ]
        visits_url = stack.serve(
            "visits-pg", "services.visits.app:create_app",
            stack.env("visits", IRP_DATABASE_URL=urls[0]),
        )  # fmt: skip
        bare_url = stack.serve(
            "bare-pg",
            "tests.bench.bare_app:create_app",
            {**os.environ, "BARE_DATABASE_URL": urls[1]},
        )
        ours = await hammer(visits_url, token, API_REQUESTS)
        bare = await hammer(bare_url, token, API_REQUESTS)
        print(f"  on PostgreSQL: POST /v1/visits {ours:7.0f} req/s, bare {bare:7.0f} req/s, "
              f"ratio {ours / bare:.2f}x")  # fmt: skip
        for name in ("visits-pg", "bare-pg"):
            process = stack.processes.pop(name)
            process.terminate()
            process.wait(30)
    finally:
        for name in names:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


# --- 3. freshness ---


@dataclass
class Freshness:
    lags: list[float]  # seconds from a 201 to the event applied in reporting
    latencies: list[float]  # seconds a POST took
    offered: int
    failed: int  # refused, timed out or not answered: the service saturated
    seconds: float  # how long the writes took to be answered


async def freshness(visits_url: str, token: str, reporting_db: Database) -> Freshness:
    """Writes offered at FRESHNESS_RATE whatever the answers (an open loop, by the light
    load generator); a write the service cannot take in time is counted, not fatal."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=visits_url, headers=headers) as client:
        probe = (await client.post("/v1/visits", json=VISIT)).json()["id"]
    await _applied(reporting_db, {probe}, 120)  # the reporting consumer has joined, caught up
    answered: dict[str, float] = {}
    post = request("POST", f"{visits_url}/v1/visits",
                   {**headers, "Content-Type": "application/json"}, json_body(VISIT))  # fmt: skip

    def seen(_: int, body: bytes) -> None:
        answered[json.loads(body)["id"]] = time.time()

    out = await offer(visits_url, lambda _: post, FRESHNESS_RATE, FRESHNESS_SECONDS, IN_FLIGHT,
                      201, seen)  # fmt: skip
    rows = await _applied(reporting_db, set(answered), 30)
    lags = sorted(as_utc(r.applied_at).timestamp() - answered[r.aggregate_id] for r in rows)
    return Freshness(lags, sorted(out.latencies), out.sent + out.not_sent,
                     out.failed + out.not_sent, out.seconds)  # fmt: skip


async def _applied(db: Database, ids: set[str], timeout: float) -> list[Any]:
    """The reporting events of these aggregates, once all are applied or ``timeout`` passed."""
    events = reporting_tables.events
    deadline = time.monotonic() + timeout
    while True:
        async with db.unit_of_work(write=False) as session:
            query = select(events.c.aggregate_id, events.c.applied_at).where(
                events.c.aggregate_id.in_(sorted(ids))
            )
            rows = (await session.execute(query)).all()
        if len(rows) >= len(ids) or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(0.2)


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


async def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="irp-bench-"))
    broker = EmbeddedBroker(log_path=root / "broker.log").start()
    stack = Stack(root, broker)
    token = issue_token(load_settings("cli", jwt_secret=SECRET), "bench", ["visits:write"], 3600)
    try:
        bb = await backbone(stack)
        print(f"backbone throughput ({EVENTS} events of ~{bb['size']} bytes)")
        print(f"  outbox -> relay -> broker -> reporting projection: {bb['ours']:9.0f} events/s")
        print(f"  (the same with the visits worker's start-up timed: {bb['with_start']:.0f})")
        print(f"  plain aiokafka produce -> consume (baseline):      {bb['plain']:9.0f} msgs/s")
        print(f"  ratio: {bb['ours'] / bb['plain']:.2f}x (target >= 0.5x)")
        print(f"  (writing the outbox rows themselves: {bb['outbox_write']:.0f} events/s)")

        visits_url = stack.serve("visits", "services.visits.app:create_app", stack.env("visits"))
        reporting_url = stack.serve(
            "reporting", "services.reporting.app:create_app", stack.env("reporting")
        )
        bare_url = stack.serve(
            "bare", "tests.bench.bare_app:create_app",
            {**os.environ, "BARE_DATABASE_URL": stack.url("bare")},
        )  # fmt: skip
        del reporting_url
        ours = await hammer(visits_url, token, API_REQUESTS)
        bare = await hammer(bare_url, token, API_REQUESTS)
        print(f"\nAPI write throughput ({API_REQUESTS} POSTs, {CONCURRENCY} concurrent, SQLite)")
        print(f"  POST /v1/visits (auth, validation, visit row + outbox row):{ours:7.0f} req/s")
        print(f"  bare FastAPI single-row insert (baseline):                     {bare:7.0f} req/s")
        print(f"  ratio: {ours / bare:.2f}x (target >= 0.8x)")
        await api_on_postgres(stack, token)

        reporting_db = Database(stack.url("reporting"))
        fresh = await freshness(visits_url, token, reporting_db)
        await reporting_db.dispose()
        print(f"\nfreshness at {FRESHNESS_RATE} writes/s offered for {FRESHNESS_SECONDS}s")
        done = fresh.offered - fresh.failed
        print(f"  answered {done} of {fresh.offered} in {fresh.seconds:.1f} s "
              f"({done / fresh.seconds:.0f} writes/s)")  # fmt: skip
        saturated = fresh.failed or fresh.seconds > FRESHNESS_SECONDS * 1.2
        if saturated:
            print(f"  SATURATED: the service took at most {done / fresh.seconds:.0f} writes/s "
                  f"({fresh.failed} refused, timed out or not sent with {IN_FLIGHT} "
                  f"unanswered)")  # fmt: skip
        if fresh.latencies:
            lat = fresh.latencies
            print(f"  POST latency: p50 {pct(lat, 0.5) * 1000:.1f} ms, "
                  f"p99 {pct(lat, 0.99) * 1000:.1f} ms")  # fmt: skip
        if len(fresh.lags) < done:
            print(f"  {done - len(fresh.lags)} answered writes not in reporting after 30 s")
        if fresh.lags and not saturated:  # saturated, the answers come after the events
            lags = fresh.lags
            p50, p99, worst = (pct(lags, 0.5) * 1000, pct(lags, 0.99) * 1000, max(lags) * 1000)
            print(f"  201 -> visible in reporting: p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
                  f"max {worst:.1f} ms, mean {statistics.mean(lags) * 1000:.1f} ms")  # fmt: skip
        print("  (target p99 < 50 ms)")

        print("\nresident memory after the run (target < 200 MB each)")
        for name, mb in stack.rss_mb().items():
            print(f"  {name:<10} {mb:6.1f} MB")
        print(json.dumps({"backbone": bb, "api": {"ours": ours, "bare": bare}}, default=str))
    finally:
        stack.stop()
        broker.stop()


if __name__ == "__main__":
    asyncio.run(main())
