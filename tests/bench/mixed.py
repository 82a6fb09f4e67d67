"""`make bench`: a mixed load on a running `make run` stack, loopback only and bounded.

Writes (`POST /v1/visits`) and reads (a page of visits, the UN obligations report and the
activity report, in turn) are offered at steady rates for `BENCH_MIXED_SECONDS`, whatever
the answers (an open loop, by the light load generator): what the stack took of each, the
latency of each, and how far behind the writes the reporting service was. A stack that
cannot keep up is reported as saturated, with what it did take.

"Behind" is sampled four times a second: the age of the oldest acknowledged write whose
event the reporting service has not applied yet (from its own counter of applied events).

Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import time
from dataclasses import dataclass, field

import httpx

from services import NAMES
from shared.auth import issue_token
from shared.settings import load_settings
from shared.topics import VISITS, topic
from tests.bench.backbone import VISIT, pct
from tests.bench.loadgen import Outcome, json_body, offer, request
from tests.bench.stack import DevStack, dev_stack
from tests.harness import eventually

SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "60"))
WRITES = float(os.environ.get("BENCH_MIXED_WRITES", "100"))
READS = float(os.environ.get("BENCH_MIXED_READS", "50"))
IN_FLIGHT = 64  # connections per kind; a request finding all busy counts as saturation
SECRET = "bench-secret-" + "m" * 40
YEAR = "from=2026-01-01&to=2026-12-31"
APPLIED = re.compile(
    r'^irp_consumer_events_applied_total\{service="reporting",topic="([^"]+)",type="[^"]*\.VisitCreated\.v[0-9]+"\}'
    r" (\S+)$",
    re.M,
)


@dataclass
class Behind:
    acknowledged: list[float] = field(default_factory=list)  # when each 201 came, in order
    samples: list[float] = field(default_factory=list)  # seconds behind, at each sample
    stop: bool = False


async def applied(client: httpx.AsyncClient, visits_topic: str) -> int:
    text = (await client.get("/metrics")).text
    return sum(int(float(n)) for t, n in APPLIED.findall(text) if t == visits_topic)


async def sample_behind(reporting: str, behind: Behind, before: int, visits_topic: str) -> None:
    async with httpx.AsyncClient(base_url=reporting, timeout=10) as client:
        while not behind.stop:
            done = await applied(client, visits_topic) - before
            now = time.perf_counter()
            waiting = behind.acknowledged[done:] if done >= 0 else behind.acknowledged
            behind.samples.append(now - waiting[0] if waiting else 0.0)
            await asyncio.sleep(0.25)


ANSWERS = re.compile(
    r'^irp_report_answers_total\{answer="(\w+)",service="reporting"\} (\S+)$', re.M
)


async def report_answers(reporting: str) -> dict[str, int]:
    """The reporting service's count of report answers made, kept and not modified."""
    async with httpx.AsyncClient(base_url=reporting, timeout=10) as client:
        text = (await client.get("/metrics")).text
    return {"made": 0, "kept": 0} | {k: int(float(n)) for k, n in ANSWERS.findall(text)}


def report(kind: str, rate: float, out: Outcome) -> None:
    offered = out.sent + out.not_sent
    took = out.answered / out.seconds if out.seconds else 0.0
    held = "held" if out.failed + out.not_sent == 0 else (
        f"SATURATED: {out.not_sent} not sent (every connection busy), {out.failed} failed"
    )  # fmt: skip
    print(f"  {kind:<10} offered {rate:.0f}/s ({offered}), answered {took:.1f}/s: {held}")
    if out.latencies:
        ms = sorted(x * 1000 for x in out.latencies)
        print(f"         latency p50 {pct(ms, 0.5):.1f} ms, p99 {pct(ms, 0.99):.1f} ms, "
              f"max {max(ms):.1f} ms (target p99 < 100 ms)")  # fmt: skip


async def run(stack: DevStack) -> None:
    token = issue_token(load_settings("cli", jwt_secret=SECRET), "bench", ["visits:write",
                        "visits:read", "reports:read"], 3600)  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"}
    visits, reporting = stack.url("visits"), stack.url("reporting")
    visits_topic = topic(VISITS, "")
    async with httpx.AsyncClient(base_url=visits, headers=headers, timeout=30) as client:
        probe = await client.post("/v1/visits", json=VISIT)  # the consumer has joined
    async with httpx.AsyncClient(base_url=reporting, timeout=30) as client:

        async def joined() -> bool:
            return await applied(client, visits_topic) >= 1

        with contextlib.suppress(AssertionError):  # reported below, never a crash
            await eventually(joined, 120, 0.2)
        before = await applied(client, visits_topic)
    if probe.status_code != 201 or before < 1:
        print("  mixed load: the stack did not take a first write; nothing measured")
        return
    post = request("POST", f"{visits}/v1/visits", {**headers, "Content-Type":
                   "application/json"}, json_body(VISIT))  # fmt: skip
    reads = [request("GET", f"{visits}/v1/visits?limit=20", headers),
             request("GET", f"{reporting}/v1/reports/un-obligations", headers),
             request("GET", f"{reporting}/v1/reports/activity?{YEAR}", headers)]  # fmt: skip
    behind = Behind()

    def acknowledged(_: int, __: bytes) -> None:
        behind.acknowledged.append(time.perf_counter())

    sampler = asyncio.create_task(sample_behind(reporting, behind, before, visits_topic))
    answers_before = await report_answers(reporting)
    writes, *read_outcomes = await asyncio.gather(
        offer(visits, lambda _: post, WRITES, SECONDS, IN_FLIGHT, 201, acknowledged),
        *(offer(base, lambda _, r=r: r, READS / 3, SECONDS, IN_FLIGHT, 200)  # type: ignore[misc]
          for base, r in zip((visits, reporting, reporting), reads, strict=True)),
    )  # fmt: skip
    answers = {
        k: n - answers_before.get(k, 0) for k, n in (await report_answers(reporting)).items()
    }
    caught_up = time.perf_counter()

    async def all_applied() -> bool:
        return bool(behind.samples) and behind.samples[-1] == 0

    with contextlib.suppress(AssertionError):  # what is still behind is in the samples
        await eventually(all_applied, 60, 0.2)
    behind.stop = True
    await sampler
    reads_total = Outcome(
        sent=sum(o.sent for o in read_outcomes), answered=sum(o.answered for o in read_outcomes),
        failed=sum(o.failed for o in read_outcomes),
        not_sent=sum(o.not_sent for o in read_outcomes),
        latencies=[x for o in read_outcomes for x in o.latencies],
        seconds=max(o.seconds for o in read_outcomes),
    )  # fmt: skip
    print(f"mixed load on a make run stack ({len(NAMES)} services, SQLite, embedded broker), "
          f"{SECONDS:.0f} s")  # fmt: skip
    report("writes", WRITES, writes)
    report("reads", READS, reads_total)
    # where the reads' tail comes from: a page of visits, or the UN or the activity report
    for kind, out in zip(("page", "UN", "activity"), read_outcomes, strict=True):
        report(f"  {kind}", READS / 3, out)
    print("    reports made {made}, answered from memory {kept} (the UN report is made of no "
          "table a visit writes; the activity report is)".format(**answers))  # fmt: skip
    during = sorted(behind.samples) or [float("nan")]
    print(f"  reporting behind the writes: p50 {pct(during, 0.5):.2f} s, p99 "
          f"{pct(during, 0.99):.2f} s, max {max(during):.2f} s "
          f"(target < 1 s); all applied {time.perf_counter() - caught_up:.1f} s "
          f"after the last write was answered")  # fmt: skip


def main() -> None:
    with dev_stack(IRP_JWT_SECRET=SECRET) as stack:
        if stack is None:
            print("mixed load: the stack did not start")
            return
        asyncio.run(run(stack))


if __name__ == "__main__":
    main()
