"""`make bench` (reports): each report from projections against the same report recomputed
from the raw event history, as_of for a past moment, and the full rebuild against the
plain consumer rate. Prints figures; asserts nothing about time."""

from __future__ import annotations

import asyncio
import gc
import os
import random
import resource
import shutil
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from services.reporting.history import replay, snapshots
from services.reporting.office import pages
from services.reporting.reports import (
    activity,
    commissions,
    dossiers,
    eu,
    formats,
    reminders,
    trend,
    un,
)
from shared.consumer import ReceivedEvent
from shared.contracts import agreements as agreement_events
from shared.contracts import notifications as notification_events
from shared.contracts import visits as visit_events
from shared.contracts.base import LocalizedText
from shared.db import Database
from shared.embedded_broker import EmbeddedBroker
from shared.envelope import EventEnvelope
from shared.migrations import upgrade_async
from tests.bench.backbone import plain_kafka_rate

MEASURES = int(os.environ.get("BENCH_MEASURES", "10000"))
PROGRESS = int(os.environ.get("BENCH_PROGRESS", "100000"))
VISITS = int(os.environ.get("BENCH_VISITS", "50000"))
DECISIONS = int(os.environ.get("BENCH_DECISIONS", "200"))
BATCH = 2000
SNAPSHOT_EVERY = 10_000  # the service's default (IRP_SNAPSHOT_EVERY_EVENTS)
START = datetime(2025, 1, 1, tzinfo=UTC)


def _event(payload, aggregate_id: str, version: int, service: str, at: datetime) -> ReceivedEvent:  # type: ignore[no-untyped-def]
    envelope = EventEnvelope.wrap(
        payload,
        service=service,
        aggregate_id=aggregate_id,
        aggregate_version=version,
        correlation_id=None,
        time=at,
    )
    return ReceivedEvent(envelope, service, 0, 0)


def generate() -> list[ReceivedEvent]:
    """A plan per year, measures across chapters and units, quarterly progress, reminders and
    their digests, visits."""
    rng = random.Random(7)
    events: list[ReceivedEvent] = []
    clock = START
    step = timedelta(seconds=1)
    plans = {}
    for year in (2025, 2026):
        plan_id = f"plan-{year}"
        plans[year] = plan_id
        title = LocalizedText(en=f"Action Plan {year}")
        events.append(
            _event(
                agreement_events.ActionPlanDraftedV1(
                    action_plan_id=plan_id, year=year, title=title, status="draft"
                ),
                plan_id,
                1,
                "agreements",
                clock,
            )
        )
    versions: dict[str, int] = {}
    for n in range(MEASURES):
        oid = f"m-{n}"
        year = 2025 + n % 2
        payload = agreement_events.ObligationRegisteredV1(
            obligation_id=oid,
            sources=[agreement_events.ObligationSource(kind="eu_action_plan", reference=f"{n}")]
            + (
                [agreement_events.ObligationSource(kind="upr_recommendation", reference=f"148.{n}")]
                if n % 10 == 0
                else []
            ),
            title=LocalizedText(en=f"Measure {n}", ka=f"ღონისძიება {n}"),
            area=f"Chapter {n % 12}",
            lead_unit=f"Unit {n % 30}",
            deadline=date(2026, 12, 31),
            support_level="supported" if n % 10 == 0 else None,
            action_plan_id=plans[year],
            external_ref=f"AP-{n}",
            status="not_started",
        )
        clock += step
        events.append(_event(payload, oid, 1, "agreements", clock))
        versions[oid] = 1
    for n in range(PROGRESS):
        oid = f"m-{rng.randrange(MEASURES)}"
        versions[oid] += 1
        clock += step
        payload = agreement_events.ProgressApprovedV1(
            obligation_id=oid,
            progress_id=f"p-{n}",
            period="2026-Q1",
            percent=rng.randrange(101),
            reporting_unit="Unit",
            narrative=LocalizedText(en="done"),
        )
        events.append(_event(payload, oid, versions[oid], "agreements", clock))
    clock = _reminders(events, versions, clock)
    events += _commission(clock)
    clock += step * 1000
    for n in range(VISITS):
        vid = f"v-{n}"
        day = date(2025, 1, 1) + timedelta(days=n % 700)
        payload = visit_events.VisitCreatedV1(
            visit_id=vid,
            direction="incoming" if n % 2 else "outgoing",
            kind="official",
            country_code=rng.choice(["DE", "FR", "AZ", "TR", "US"]),
            title=LocalizedText(en="Visit"),
            start_date=day,
            end_date=day,
            status="draft",
        )
        clock += step
        events.append(_event(payload, vid, 1, "visits", clock))
    return events


def _reminders(events: list[ReceivedEvent], versions: dict[str, int], clock: datetime) -> datetime:
    """The sweep's reminders of one measure in five (its deadline due, and one in ten of
    them its first quarter's progress report overdue), and a daily digest to each unit for
    three weeks."""
    step = timedelta(seconds=1)
    for n in range(1, MEASURES, 5):
        oid = f"m-{n}"
        due = [("deadline", "due", date(2026, 12, 31), None)]
        if n % 10 == 1:
            due.append(("progress_report", "overdue", date(2026, 4, 10), "2026-Q1"))
        for what, stage, due_on, period in due:
            versions[oid] += 1
            clock += step
            fact = agreement_events.ObligationDueV1(
                obligation_id=oid, what=what, stage=stage, due_on=due_on, period=period,
                title=LocalizedText(en=f"Measure {n}"), external_ref=f"AP-{n}",
                lead_unit=f"Unit {n % 30}", status="not_started",
            )  # fmt: skip
            events.append(_event(fact, oid, versions[oid], "agreements", clock))
    for day in range(21):
        for unit in range(30):
            clock += step
            mid = f"msg-{day}-{unit}"
            sent = notification_events.MessageSentV1(
                message_id=mid, unit_id=None, kind="digest",
                day=date(2026, 6, 9) + timedelta(days=day), recipient_kind="office_mailbox",
                items=[f"obligation:m-{unit + 30 * k}:deadline:due" for k in range(3)],
            )  # fmt: skip
            events.append(_event(sent, mid, 1, "notifications", clock))
    return clock


def _commission(at: datetime) -> list[ReceivedEvent]:
    """An intergovernmental commission with DECISIONS decisions at each of its five sessions,
    each decision an obligation of the measures above (their status and progress)."""
    cid, step = "commission-de", timedelta(milliseconds=1)
    name = LocalizedText(en="Georgian-German Commission", ka="ქართულ-გერმანული კომისია")
    events = [
        _event(agreement_events.CommissionEstablishedV1(
            commission_id=cid, partner_country="DE", name=name, status="active"
        ), cid, 1, "agreements", at)
    ]  # fmt: skip
    version = 1
    for number in range(1, 6):
        version += 1
        at += step
        held = agreement_events.CommissionSessionHeldV1(
            commission_id=cid, partner_country="DE", session_number=number,
            held_on=date(2021 + number, 5, 20), place="Tbilisi" if number % 2 else "Berlin",
        )  # fmt: skip
        events.append(_event(held, cid, version, "agreements", at))
        for d in range(DECISIONS):
            version += 1
            at += step
            decision = agreement_events.CommissionDecisionTakenV1(
                commission_id=cid, partner_country="DE", session_number=number,
                decision_id=f"d-{number}-{d}",
                obligation_id=f"m-{(number * DECISIONS + d) % MEASURES}",
                responsible_unit=f"Unit {d % 30}", deadline=date(2026, 12, 31),
            )  # fmt: skip
            events.append(_event(decision, cid, version, "agreements", at))
    return events


async def load(db: Database, events: list[ReceivedEvent], folder: Path) -> tuple[float, list]:
    """Apply the events as the consumer does, with a snapshot every SNAPSHOT_EVERY events as
    the service's schedule takes them; the time applying, and each snapshot's time."""
    from services.reporting.projections import apply

    applying, taking = 0.0, []
    for i in range(0, len(events), BATCH):
        started = time.perf_counter()
        async with db.unit_of_work() as session:
            await apply.apply_events(session, events[i : i + BATCH])
        applying += time.perf_counter() - started
        if (i + BATCH) % SNAPSHOT_EVERY == 0:
            started = time.perf_counter()
            await snapshots.take(db, folder, keep=1000)
            taking.append(time.perf_counter() - started)
    return applying, taking


async def timed(run, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        await run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


async def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="irp-bench-reports-"))
    db = Database(f"sqlite:///{folder}/reporting.db")
    await upgrade_async("services.reporting", db.url)
    events = generate()
    # The generated history is the bench's input, as a broker's log is the consumer's: kept
    # out of the garbage collector, which would otherwise walk it on every collection while
    # the events are applied (the service holds no such history in memory).
    gc.collect()
    gc.freeze()
    print(
        f"generated {len(events)} events: {MEASURES} measures, {PROGRESS} approved progress "
        f"reports, {VISITS} visits"
    )
    snapshot_dir = folder / "snapshots"
    seconds, taking = await load(db, events, snapshot_dir)
    print(f"loaded through the live projection code at {len(events) / seconds:.0f} events/s")
    total = len(events)
    gc.unfreeze()
    del events  # as in the service, which holds no history in memory; frozen as it does
    gc.collect()
    gc.freeze()
    print(
        f"{len(taking)} snapshots taken on the way: median {statistics.median(taking):.2f} s, "
        f"max {max(taking):.2f} s each, {_size_mb(snapshot_dir) / len(taking):.0f} MB each"
    )
    today = date(2026, 6, 30)

    async def from_projections(report) -> None:  # type: ignore[no-untyped-def]
        """As the API answers: the report read in one transaction, made its model, and
        written as JSON."""
        model, build = report
        async with db.unit_of_work(write=False, consistent=True) as session:
            body = await build(session)
        formats.render(model(**body, includes_events_until={}), "json", "report")

    async def recomputed(report, moment: datetime | None = None, snaps=None) -> None:  # type: ignore[no-untyped-def]
        model, build = report
        async with (
            replay.as_of(db, moment or datetime.now(UTC), snaps) as scratch,
            scratch.unit_of_work(write=False) as session,
        ):
            body = await build(session)
        formats.render(model(**body, includes_events_until={}), "json", "report")

    year_2025 = (date(2025, 1, 1), date(2025, 12, 31))
    cases = {
        "eu-association": (
            eu.EuReport, lambda s: eu.eu_association(s, 2026, "en", today, None)
        ),
        "un-obligations": (
            un.UnReport, lambda s: un.un_obligations(s, "en", today, None, None, None)
        ),
        "activity (a year)": (
            activity.ActivityReport, lambda s: activity.activity(s, *year_2025)
        ),
        "country dossier": (
            dossiers.CountryDossier, lambda s: dossiers.country(s, "DE", "en", today)
        ),
        "commission": (
            commissions.CommissionReport,
            lambda s: commissions.commission(s, "commission-de", None, "en", today),
        ),
        "reminders": (
            reminders.RemindersReport, lambda s: reminders.reminders(s, "en", today)
        ),
    }  # fmt: skip
    print(
        "\nreport from projections vs recomputed from the raw event history (median; both "
        "as the API answers in JSON: query, model, serialisation)"
    )
    for name, report in cases.items():
        fast = await timed(lambda r=report: from_projections(r))
        slow = await timed(lambda r=report: recomputed(r), repeat=1)
        print(
            f"  {name:<18} {fast * 1000:8.1f} ms   recompute {slow * 1000:9.0f} ms   "
            f"{slow / fast:6.0f}x  (targets: < 30 ms, >= 100x)"
        )
    keys = {"eu-association": "eu", "un-obligations": "un", "activity (a year)": "activity",
            "country dossier": "dossier", "commission": "commission",
            "reminders": "reminders"}  # fmt: skip

    async def office_page(name: str, report) -> None:  # type: ignore[no-untyped-def]
        """As the office page answers: the report read and made its model, drawn as HTML."""
        model, build = report
        async with db.unit_of_work(write=False, consistent=True) as session:
            body = await build(session)
        shown = model(**body, includes_events_until={})
        pages.render_view(pages.report_view(keys[name], shown, "en"), "en")

    print("\noffice page vs the JSON report, from projections (median)")
    for name, report in cases.items():
        page = await timed(lambda n=name, r=report: office_page(n, r))
        json_report = await timed(lambda r=report: from_projections(r))
        print(
            f"  {name:<18} page {page * 1000:8.1f} ms   JSON {json_report * 1000:8.1f} ms   "
            f"(target: page < 300 ms)"
        )
    await _trend_figures(db, snapshot_dir)
    await _answered_over_http(db.url)
    middle = START + timedelta(seconds=total // 2 + 4321)  # between two snapshots
    eu_case = cases["eu-association"]
    as_of = await timed(lambda: recomputed(eu_case, middle, snapshot_dir), repeat=3)
    baseline = await timed(lambda: recomputed(eu_case, middle), repeat=1)
    print(
        f"\nas_of a past moment (half the history, eu-association): {as_of:.2f} s from the "
        f"newest fitting snapshot vs {baseline:.2f} s replaying from the first event "
        f"(target < 0.5 s)"
    )

    target = Database(f"sqlite:///{folder}/rebuilt.db", durable=False)
    await upgrade_async("services.reporting", target.url)
    started = time.perf_counter()
    replayed = await replay.replay(db, target)
    rate = replayed / (time.perf_counter() - started)
    broker = EmbeddedBroker().start()
    try:
        plain = await plain_kafka_rate(broker.bootstrap, min(replayed, 100_000), 600)
    finally:
        broker.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nfull rebuild: {replayed} events at {rate:.0f} events/s vs plain aiokafka "
        f"produce->consume {plain:.0f} msgs/s = {rate / plain:.2f}x (target >= 0.5x)"
    )
    print(f"peak resident memory of this process (events generated in memory too): {peak:.0f} MB")
    print("(the rebuild's own memory, in a process of its own: tests/bench/rebuild.py)")
    await target.dispose()
    await db.dispose()
    shutil.rmtree(folder, ignore_errors=True)


async def _trend_figures(db: Database, snapshot_dir: Path) -> None:
    """The month-by-month report on 30 June 2026: January to May rebuilt from the history
    the first time (cold), then read as kept (warm); June, the running month, from the live
    projections. The page beside the JSON, both warm."""
    until = datetime(2026, 6, 30, 12, tzinfo=UTC)

    async def report() -> trend.TrendReport:
        body = await trend.trend(db, snapshot_dir, 2026, "en", None, until, until_is_now=True)
        return trend.TrendReport(**body, includes_events_until={})

    async def as_json() -> None:
        formats.render(await report(), "json", "trend")

    async def as_page() -> None:
        pages.render_view(pages.report_view("trend", await report(), "en"), "en")

    cold = await timed(as_json, repeat=1)
    warm, page = await timed(as_json), await timed(as_page)
    print(
        f"  {'trend (6 months)':<18} page {page * 1000:8.1f} ms   JSON {warm * 1000:8.1f} ms   "
        f"(target: page < 300 ms; the first time, computing its 5 past months: "
        f"{cold * 1000:.0f} ms)"
    )


async def _answered_over_http(url: str) -> None:
    """The reports as the service answers them (its ASGI app, no network): made, then the
    same request again while no event arrived (kept), then asked with the tag (304)."""
    from services.reporting.app import create_app
    from shared.auth import issue_token
    from shared.settings import load_settings

    settings = load_settings("reporting", database_url=url, jwt_secret="bench-" * 8)
    app = create_app(settings)
    token = issue_token(settings, "bench", ["reports:read"], 600)
    headers = {"Authorization": f"Bearer {token}"}
    paths = {
        "eu-association": "/v1/reports/eu-association?year=2026",
        "country dossier": "/v1/reports/countries/DE",
        "reminders": "/v1/reports/reminders",
    }
    print(
        "\nover HTTP (the app in process): made (the first request), the same again with no "
        "event since (kept), and asked with its tag (304)"
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://reporting"
    ) as client:
        for name, path in paths.items():
            started = time.perf_counter()
            made = await client.get(path, headers=headers)
            first = time.perf_counter() - started
            assert made.status_code == 200, made.text
            tag = {**headers, "If-None-Match": made.headers["ETag"]}
            kept = await timed(lambda p=path: client.get(p, headers=headers))
            held = await timed(lambda p=path, h=tag: client.get(p, headers=h))
            print(
                f"  {name:<18} made {first * 1000:8.1f} ms   kept {kept * 1000:6.1f} ms   "
                f"304 {held * 1000:6.1f} ms   ({len(made.content) / 1e6:.1f} MB)"
            )
    await app.state.ctx.db.dispose()


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir()) / 1e6


if __name__ == "__main__":
    asyncio.run(main())
