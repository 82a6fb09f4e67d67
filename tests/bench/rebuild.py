"""`make bench` (rebuild): `irp rebuild` over a long history, in its own process, for its
rate against the plain consumer on the same broker and its peak resident memory.
Prints figures; asserts nothing about time."""

from __future__ import annotations

import asyncio
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from services.reporting import tables
from services.reporting.history import replay
from shared.contracts import agreements as agreement_events
from shared.contracts import visits as visit_events
from shared.contracts.base import LocalizedText
from shared.db import Database
from shared.embedded_broker import EmbeddedBroker
from shared.migrations import upgrade_async
from tests.bench.backbone import plain_kafka_rate

EVENTS = int(os.environ.get("BENCH_REBUILD_EVENTS", "1000000"))
MEASURES, VISITS = 20_000, 300_000
START = datetime(2020, 1, 1, tzinfo=UTC)


def _row(seq: int, payload: Any, aggregate_id: str, version: int) -> dict[str, Any]:
    at = START + timedelta(seconds=seq)
    stream = payload.event_type.split(".")[1]
    return {
        "event_id": f"e-{seq}", "stream": stream, "type": payload.event_type,
        "aggregate_type": payload.aggregate_type, "aggregate_id": aggregate_id,
        "aggregate_version": version, "occurred_at": at, "correlation_id": None,
        "data": f'{{"data":{payload.model_dump_json()}}}', "applied_at": at,
    }  # fmt: skip


def history_rows(total: int) -> Iterator[dict[str, Any]]:
    """Measures, then approved progress and visits interleaved: ``total`` events."""
    versions: dict[int, int] = {}
    for n in range(MEASURES):
        payload = agreement_events.ObligationRegisteredV1(
            obligation_id=f"m-{n}", status="not_started", lead_unit=f"Unit {n % 30}",
            sources=[agreement_events.ObligationSource(kind="eu_action_plan", reference=str(n))],
            title=LocalizedText(en=f"Measure {n}", ka=f"ღონისძიება {n}"),
            area=f"Chapter {n % 12}", deadline=date(2026, 12, 31),
        )  # fmt: skip
        versions[n] = 1
        yield _row(n, payload, f"m-{n}", 1)
    visits = 0
    for seq in range(MEASURES, total):
        if seq % 3 == 0 and visits < VISITS:
            k, visits = visits, visits + 1
            day = date(2020, 1, 1) + timedelta(days=k % 2000)
            payload = visit_events.VisitCreatedV1(
                visit_id=f"v-{k}", direction="incoming", kind="official", country_code="DE",
                title=LocalizedText(en="Visit"), start_date=day, end_date=day, status="draft",
            )  # fmt: skip
            yield _row(seq, payload, f"v-{k}", 1)
            continue
        n = (seq * 7919) % MEASURES
        versions[n] += 1
        payload = agreement_events.ProgressApprovedV1(
            obligation_id=f"m-{n}", progress_id=f"p-{seq}", period="2026-Q1",
            percent=seq % 101, reporting_unit="Unit", narrative=LocalizedText(en="done"),
        )  # fmt: skip
        yield _row(seq, payload, f"m-{n}", versions[n])


async def write_history(db: Database, total: int) -> None:
    chunk: list[dict[str, Any]] = []
    for row in history_rows(total):
        chunk.append(row)
        if len(chunk) == 10_000:
            async with db.unit_of_work() as session:
                await session.execute(insert(tables.events), chunk)
            chunk = []
    if chunk:
        async with db.unit_of_work() as session:
            await session.execute(insert(tables.events), chunk)


async def prepare(folder: Path) -> str:
    """A live reporting database: the history, and the projections the consumer built."""
    raw, live = Database(f"sqlite:///{folder}/raw.db"), Database(f"sqlite:///{folder}/live.db")
    await upgrade_async("services.reporting", raw.url)
    await upgrade_async("services.reporting", live.url)
    await write_history(raw, EVENTS)
    await replay.replay(raw, live)
    await raw.dispose()
    await live.dispose()
    (folder / "raw.db").unlink()
    return live.url


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="irp-bench-rebuild-"))
    try:
        started = time.perf_counter()
        live_url = asyncio.run(prepare(folder))
        print(f"prepared a live reporting database of {EVENTS} events in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        env = {**os.environ, "IRP_DATABASE_URL": live_url, "IRP_VAR_DIR": str(folder)}
        started = time.perf_counter()
        answer = subprocess.run(
            [sys.executable, "-m", "services.cli", "rebuild", "--into", f"sqlite:///{folder}/re.db"],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(answer.stdout.strip() or answer.stderr[-2000:])
        broker = EmbeddedBroker().start()
        try:
            plain = asyncio.run(plain_kafka_rate(broker.bootstrap, 100_000, 600))
        finally:
            broker.stop()
        rate = EVENTS / seconds
        print(
            f"irp rebuild (replay and compare, own process): {EVENTS} events in {seconds:.0f} s "
            f"= {rate:.0f} events/s vs plain aiokafka produce->consume {plain:.0f} msgs/s = "
            f"{rate / plain:.2f}x (target >= 0.5x); peak resident memory {peak:.0f} MB "
            f"(target < 500 MB)"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
