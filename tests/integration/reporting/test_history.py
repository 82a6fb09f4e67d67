"""Reports from the kept history: as of a past moment (from a snapshot of the projections when
one fits, the same as replayed from the very first event), and the rebuild of every projection
while the live service goes on applying events."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from services.reporting import tables
from services.reporting.history import replay, snapshots
from services.reporting.history.rebuild import PROJECTED_TABLES, differences, rebuild
from services.reporting.projections.apply import apply_events
from services.reporting.reports import activity
from shared.consumer import ReceivedEvent
from shared.contracts import agreements as agreement_events
from shared.contracts import passports as pa
from shared.contracts import visits as visit_events
from shared.contracts.base import LocalizedText
from shared.db import Database
from shared.envelope import EventEnvelope
from shared.migrations import upgrade_async
from tests.harness import count_rows, eventually

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def event(payload, aggregate_id: str, version: int, minute: int) -> ReceivedEvent:  # type: ignore[no-untyped-def]
    stream = payload.event_type.split(".")[1]
    envelope = EventEnvelope.wrap(
        payload, service=stream, aggregate_id=aggregate_id, aggregate_version=version,
        correlation_id=None, time=T0 + timedelta(minutes=minute),
    )  # fmt: skip
    return ReceivedEvent(envelope, stream, 0, 0)


def measure(n: int, minute: int) -> ReceivedEvent:
    payload = agreement_events.ObligationRegisteredV1(
        obligation_id=f"m{n}", status="not_started", lead_unit="Legal", area="Chapter A",
        sources=[agreement_events.ObligationSource(kind="eu_action_plan", reference=str(n))],
        title=LocalizedText(en=f"Measure {n}"), deadline=date(2030, 1, 1),
    )  # fmt: skip
    return event(payload, f"m{n}", 1, minute)


def progress(n: int, version: int, percent: int, minute: int) -> ReceivedEvent:
    payload = agreement_events.ProgressApprovedV1(
        obligation_id=f"m{n}", progress_id=f"p{n}-{version}", period="2026-Q1",
        percent=percent, reporting_unit="Legal", narrative=LocalizedText(en=f"{percent}%"),
    )  # fmt: skip
    return event(payload, f"m{n}", version, minute)


def visit(n: int, minute: int) -> ReceivedEvent:
    payload = visit_events.VisitCreatedV1(
        visit_id=f"v{n}", direction="incoming", kind="official", country_code="DE",
        title=LocalizedText(en="Visit"), status="draft", responsible_unit="Europe",
        start_date=date(2026, 3, 2), end_date=date(2026, 3, 3),
    )  # fmt: skip
    return event(payload, f"v{n}", 1, minute)


def holder_registered(minute: int) -> ReceivedEvent:
    payload = pa.HolderRegisteredV1(holder_id="h1", category="minister", unit="Cabinet")
    return event(payload, "h1", 1, minute)


async def apply(db: Database, events: list[ReceivedEvent]) -> None:
    async with db.unit_of_work() as session:
        await apply_events(session, events)


async def test_as_of_from_a_snapshot_equals_the_replay_from_the_first_event(databases, tmp_path):
    live = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", live.url)
    folder = tmp_path / "snapshots"
    try:
        await apply(live, [measure(1, 0), measure(2, 1), visit(1, 2), progress(1, 2, 40, 3)])
        first = await snapshots.take(live, folder, keep=5)
        # applied after the snapshot: a late event of another stream that occurred earlier
        await apply(live, [holder_registered(1), progress(1, 3, 80, 10), visit(2, 11)])
        second = await snapshots.take(live, folder, keep=5)
        await apply(live, [progress(2, 2, 10, 20)])

        assert first is not None and second is not None
        assert (first.seq, first.newest) == (4, T0 + timedelta(minutes=3))
        assert await snapshots.take(live, folder, keep=5) is not None  # one more event since
        assert await snapshots.take(live, folder, keep=5) is None  # nothing new
        used = {}
        for minute in (0, 2, 3, 5, 10, 15, 25):
            moment = T0 + timedelta(minutes=minute)
            start = snapshots.usable(folder, moment)
            used[minute] = start.seq if start else 0
            async with (
                replay.as_of(live, moment, folder) as from_snapshot,
                replay.as_of(live, moment) as from_the_start,
            ):
                assert await differences(from_the_start, from_snapshot, PROJECTED_TABLES) == [], (
                    minute
                )
    finally:
        await live.dispose()
    # before minute 3 no snapshot fits; the second includes a visit of minute 11, so it
    # serves from then on; the replay after a snapshot picks up the holder's late event
    assert used == {0: 0, 2: 0, 3: 4, 5: 4, 10: 4, 15: 7, 25: 8}


async def test_only_the_newest_snapshots_are_kept(tmp_path):
    live = Database(f"sqlite:///{tmp_path}/live.db")
    await upgrade_async("services.reporting", live.url)
    folder = tmp_path / "snapshots"
    try:
        for n in range(4):
            await apply(live, [measure(n, n)])
            await snapshots.take(live, folder, keep=2)
        due = await snapshots.take_when_due(live, folder, every=2, keep=2)
    finally:
        await live.dispose()
    assert [s.seq for s in snapshots.existing(folder)] == [3, 4]
    assert due == 0  # no event since the last one
    assert sorted(p.name.startswith(".") for p in folder.iterdir()) == [False, False]


async def test_a_rebuild_compares_with_the_live_state_it_started_from(databases, monkeypatch):
    live = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", live.url)
    for n in range(20):
        await apply(live, [measure(n, n), progress(n, 2, n, 30 + n)])
    target = await databases.new("rebuilt")
    monkeypatch.setattr(replay, "BATCH", 5)  # many batches: time for the consumer to go on
    told: list[tuple[int, int]] = []
    rebuilding = asyncio.create_task(
        rebuild(live.url, target, progress=lambda done, total: told.append((done, total)))
    )
    watcher = Database(target)
    try:

        async def started() -> bool:
            try:
                return await count_rows(watcher, tables.events) > 0
            except DBAPIError:  # its tables are not made yet
                return False

        await eventually(started, timeout=30, interval=0.005)
        await apply(live, [visit(1, 60), progress(1, 3, 90, 61)])  # while it rebuilds
        replayed, found = await rebuilding
        applied = await count_rows(live, tables.events)
    finally:
        await watcher.dispose()
        await live.dispose()
    assert (replayed, found, applied) == (40, [], 42)
    assert told == [(n, 40) for n in range(5, 41, 5)]  # batch by batch, of the started total


def test_a_snapshot_of_an_older_schema_is_never_started_from(tmp_path):
    older = tmp_path / "0b7eadbc9ed3"  # the first reporting revision
    older.mkdir()
    (older / "snapshot-000000000001-0.db").touch()
    assert snapshots.usable(older, T0) is not None  # it would fit that moment
    assert snapshots.usable(snapshots.folder_for(tmp_path), T0) is None
    assert snapshots.folder_for(tmp_path).name != older.name


def passport(n: int, version: int, minute: int, step: type, status: str, **facts) -> ReceivedEvent:  # type: ignore[no-untyped-def]
    payload = step(passport_id=f"p{n}", holder_id="h1", passport_type="diplomatic",
                   status=status, **facts)  # fmt: skip
    return event(payload, f"p{n}", version, minute)


async def test_as_of_from_a_snapshot_says_where_the_passports_were_at_the_periods_end(
    databases, tmp_path
):
    """The snapshot keeps no event history: where each passport was is a projection of its
    own, and the report as of a moment after the snapshot reads it as the replay from the
    first event does."""
    live = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", live.url)
    folder = tmp_path / "snapshots"
    trip = {"trip_id": "t1", "safe_return_by": date(2026, 2, 20)}
    try:
        await apply(live, [
            holder_registered(0),
            passport(1, 1, 1, pa.PassportIssuedV1, "issued"),
            passport(2, 1, 2, pa.PassportIssuedV1, "issued"),
            passport(1, 2, 3, pa.PassportHandedOverV1, "handed_over", **trip),  # never back
            passport(3, 1, 4, pa.PassportIssuedV1, "issued"),
        ])  # fmt: skip
        assert await snapshots.take(live, folder, keep=5) is not None
        await apply(live, [passport(2, 2, 10, pa.PassportPlacedInSafeV1, "in_safe")])
        moment = T0 + timedelta(minutes=30)
        answers = []
        for snapshot_folder in (folder, None):
            async with (
                replay.as_of(live, moment, snapshot_folder) as scratch,
                scratch.unit_of_work(write=False) as session,
            ):
                figures = await activity.activity(session, date(2026, 1, 1), date(2026, 3, 1))
            answers.append(figures["passports"].model_dump())
    finally:
        await live.dispose()
    from_snapshot, from_the_start = answers
    assert from_snapshot == from_the_start
    # p1 out on a trip and late back to the safe; p2 and p3 with the office
    expected = {"in_hand_at_end": 1, "in_safe_at_end": 2, "overdue_at_end": 1}
    assert {k: from_snapshot[k] for k in expected} == expected


async def test_an_upgraded_database_fills_the_passports_moves_from_its_kept_history(databases):
    db = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", db.url)
    returning = {"return_due_by": date(2026, 4, 1), "safe_return_by": date(2026, 2, 1)}
    try:
        await apply(db, [
            holder_registered(0),
            passport(1, 1, 1, pa.PassportIssuedV1, "issued"),
            passport(1, 2, 2, pa.PassportHandedOverV1, "handed_over", trip_id="t1",
                     safe_return_by=date(2026, 3, 9)),
            passport(1, 3, 3, pa.PassportReturnDueV1, "return_due", **returning),
        ])  # fmt: skip
        live = await _moves(db)
        await asyncio.to_thread(_migrate, db.url, "downgrade", BEFORE_PASSPORT_MOVES)
        await asyncio.to_thread(_migrate, db.url, "upgrade", "head")
        filled = await _moves(db)
    finally:
        await db.dispose()
    assert [(m.version, m.status, m.back_by) for m in live] == [
        (1, "issued", None), (2, "handed_over", date(2026, 3, 9)),
        (3, "return_due", date(2026, 4, 1)),
    ]  # fmt: skip
    assert filled == live


BEFORE_PASSPORT_MOVES = "57a3c70d878c"  # reporting's revision 0015


async def _moves(db: Database) -> list:  # type: ignore[type-arg]
    t = tables.passport_moves
    async with db.unit_of_work(write=False) as session:
        return list((await session.execute(select(t).order_by(t.c.version))).all())


def _migrate(url: str, direction: str, revision: str) -> None:
    from alembic import command

    from shared.migrations import alembic_config

    getattr(command, direction)(alembic_config("services.reporting", url), revision)
