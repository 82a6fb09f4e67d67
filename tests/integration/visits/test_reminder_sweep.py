"""The reminder sweep finds the planned visits with talking points in SQL (SQLite's and
PostgreSQL's JSON functions differ), reminds each once, and leaves the others alone."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from services.visits import tables, usecases
from services.visits.domain import visit as domain
from services.visits.domain.preparation import TalkingPoints
from services.visits.repository import VisitRepository
from shared.db import Database
from shared.migrations import upgrade_async
from shared.outbox import Outbox
from shared.settings import load_settings
from shared.writes import Writer
from tests.unit.visits.builders import new_visit

DUE = date(2026, 12, 10)


def _with_points(**overrides: object) -> domain.Visit:
    points = TalkingPoints(subject="Teacher training", owner_unit="Policy Department",
                           owner_unit_id="unit-policy", due_date=DUE)  # fmt: skip
    return domain.request_talking_points(new_visit(**overrides), points)[0]


async def _reminded(db: Database) -> list[tuple[str, str]]:
    outbox = tables.outbox
    query = select(outbox.c.message_key, outbox.c.event_type).where(
        outbox.c.event_type.like("%TalkingPointsDue%")
    )
    async with db.unit_of_work(write=False) as session:
        return [tuple(r) for r in await session.execute(query)]  # type: ignore[misc]


async def test_only_planned_visits_with_talking_points_are_reminded_once(databases):
    db = Database(await databases.new())
    await upgrade_async("services.visits", db.url)
    writer = Writer(db, Outbox("visits", tables.outbox, "irp.visits.events.v1"))
    due = _with_points()
    cancelled = _with_points().model_copy(update={"status": "cancelled"})
    without = new_visit()
    try:
        async with db.unit_of_work() as session:
            for visit in (due, cancelled, without):
                await VisitRepository(session).add(visit)
        settings = load_settings("visits")
        day = date(2026, 12, 10 - settings.talking_points_notice_days)
        assert await usecases.sweep_reminders(writer, day, settings) == 1
        assert await usecases.sweep_reminders(writer, day, settings) == 0
        reminded = await _reminded(db)
        assert [key for key, _ in reminded] == [due.id]
    finally:
        await db.dispose()
