"""The reminders report on SQLite and PostgreSQL: per unit, what is due and overdue on the
report's day (one line a thing, settled things gone), when a digest first carried each and
when it went to the head, whatever order the streams arrived in; the messages of the period;
one unit's share; and a database upgraded from before the report fills it from the kept
history exactly as the live projection did."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from services.reporting import tables
from services.reporting.projections.apply import apply_events
from services.reporting.reports import reminders
from shared.db import Database
from shared.migrations import upgrade, upgrade_async
from tests.reporting_history import reminders_of_two_units

TODAY = date(2026, 11, 28)
BEFORE_REMINDERS = "47db45e157ef"  # reporting's revision 0013


def _days(offset: int) -> date:
    return TODAY + timedelta(days=offset)


async def _report(db: Database, **asked: Any) -> reminders.RemindersReport:
    async with db.unit_of_work(write=False) as session:
        body = await reminders.reminders(session, on=TODAY, **{"lang": "en", **asked})
    return reminders.RemindersReport(**body, includes_events_until={})


async def test_each_unit_sees_what_is_due_overdue_and_what_was_sent_to_it(databases):
    db = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", db.url)
    try:
        async with db.unit_of_work() as session:
            await apply_events(session, reminders_of_two_units(TODAY))
        report = await _report(db)
        protocol = await _report(db, unit="Protocol Department", lang="ka")
    finally:
        await db.dispose()

    assert [(r.unit, r.what, r.status, r.due_on, r.days_overdue, r.reminded_on, r.escalated_on)
            for r in report.reminders] == [
        ("Policy Department", "deadline", "overdue", _days(-5), 5, _days(-19), _days(-2)),
        ("Protocol Department", "passport_return", "overdue", _days(-3), 3, _days(-1), None),
        ("Protocol Department", "trip_report", "due", _days(2), None, _days(-1), None),
        ("Policy Department", "progress_report", "due", _days(10), None, None, None),
    ]  # fmt: skip
    law = report.reminders[0]
    assert (law.title, law.ref, law.link) == ("Draft the law", "12.1", "/v1/obligations/o-law")
    assert report.reminders[3].period == "2026-Q4"
    assert "o-judges" not in {r.record_id for r in report.reminders}  # its report came in
    assert [(u.unit, u.due, u.overdue, u.oldest_overdue_on, u.digests, u.escalations,
             u.last_sent_on) for u in report.by_unit] == [
        ("Policy Department", 1, 1, _days(-5), 3, 1, _days(-2)),
        ("Protocol Department", 1, 1, _days(-3), 1, 0, _days(-1)),
        ("The office's mailbox", 0, 0, None, 1, 0, _days(-1)),
    ]  # fmt: skip
    assert [(m.day, m.unit, m.kind, m.recipient, m.items) for m in report.messages][:3] == [
        (_days(-1), "Protocol Department", "digest", "unit_mailbox", 2),
        (_days(-1), "The office's mailbox", "digest", "office_mailbox", 1),
        (_days(-2), "Policy Department", "escalation", "unit_head", 1),
    ]
    assert (report.sent_from, report.sent_to) == (_days(-30), TODAY)

    assert protocol.unit == "პროტოკოლის დეპარტამენტი"
    assert {r.unit for r in protocol.reminders} == {"პროტოკოლის დეპარტამენტი"}
    assert [m.unit for m in protocol.messages] == ["პროტოკოლის დეპარტამენტი"]
    assert [s.title("ka") for s in protocol.sheets()][1] == "ღია შეხსენებები"
    rows = list(protocol.sheets()[1].rows)
    assert rows[0][1:3] == ["პასპორტის დაბრუნება", "ვადაგასული"]


async def test_the_messages_listed_are_those_of_the_period_asked(databases):
    db = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", db.url)
    try:
        async with db.unit_of_work() as session:
            await apply_events(session, reminders_of_two_units(TODAY))
        report = await _report(db, first=_days(-20), last=_days(-10))
    finally:
        await db.dispose()
    assert [(m.day, m.kind) for m in report.messages] == [
        (_days(-12), "digest"),
        (_days(-19), "digest"),
    ]
    (policy,) = [u for u in report.by_unit if u.unit == "Policy Department"]
    assert (policy.digests, policy.escalations, policy.last_sent_on) == (2, 0, _days(-12))


async def _rows(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    found = {}
    async with db.unit_of_work(write=False) as session:
        for table in (tables.reminders, tables.reminder_messages, tables.reminder_deliveries):
            rows = await session.execute(select(table))
            found[table.name] = sorted(tuple(str(v) for v in row) for row in rows)
    return found


async def test_an_upgraded_database_fills_the_reminders_from_its_kept_history(databases):
    db = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", db.url)
    try:
        async with db.unit_of_work() as session:
            await apply_events(session, reminders_of_two_units(TODAY))
        live = await _rows(db)
        await asyncio.to_thread(_downgrade_to_before_reminders, db.url)
        await asyncio.to_thread(upgrade, "services.reporting", db.url)
        filled = await _rows(db)
    finally:
        await db.dispose()
    assert len(live["reminders"]) == 6 and len(live["reminder_messages"]) == 6
    assert filled == live


def _downgrade_to_before_reminders(url: str) -> None:
    from alembic import command

    from shared.migrations import alembic_config

    command.downgrade(alembic_config("services.reporting", url), BEFORE_REMINDERS)
