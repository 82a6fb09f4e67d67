"""What the visits service does: each write one unit of work, the visit and its events.

Meetings, international events and business trips are lifecycle documents: their writes
are ``shared.documents``' (through ``shared.http.resource.LifecycleResource``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from services.visits import tables
from services.visits.domain import readiness
from services.visits.domain import visit as domain
from services.visits.domain.business_trip import BusinessTrip, remind_trip
from services.visits.domain.meeting import Meeting, remind_meeting
from services.visits.domain.visit import Visit
from services.visits.repository import ActivityRepository, VisitRepository, passports_of
from shared.aggregates import Changed
from shared.documents import save_document
from shared.errors import check_expected_version
from shared.settings import ServiceSettings
from shared.writes import UnitOfWork, Writer


async def register_visit(uow: UnitOfWork, fields: dict[str, Any]) -> Visit:
    """A new visit, in the unit of work of its idempotent creation; what it names from the
    directory checked and named as the directory names it."""
    fields = await tables.directory.named(uow.session, domain.REFERENCES, fields)
    visit, events = domain.register_visit(**fields)
    visit = await VisitRepository(uow.session).add(visit)
    await uow.record(visit, events)
    return visit


async def change_visit(
    writer: Writer,
    visit_id: str,
    step: Callable[..., Changed[Visit]],
    *args: Any,
    expected_version: int | None = None,
    margin_days: int = 180,
) -> Visit:
    """Load the visit, apply ``step(visit, *args)``, save it with its events.

    An outgoing visit's trip readiness is reassessed with every change. What the arguments
    name from the directory (a follow-up's unit) is checked and named first.
    """
    async with writer.unit_of_work() as uow:
        args = tuple([await _named(uow.session, a) for a in args])
        repo = VisitRepository(uow.session)
        visit = await repo.get(visit_id)
        check_expected_version(visit.version, expected_version)
        changed, events = step(visit, *args)
        if not events:
            return visit
        holders = readiness.linked_holders(changed)
        if holders:
            passports = await passports_of(uow.session, holders)
            changed, assessed = readiness.assess(changed, passports, margin_days)
            events = [*events, *assessed]
        saved = await repo.save(changed, previous_version=visit.version)
        await uow.record(saved, events)
        return saved


async def named_changes(writer: Writer, changes: dict[str, Any]) -> dict[str, Any]:
    """A visit's edited fields, with what they name from the directory checked and named;
    only the fields sent change (a post's organisation does not follow)."""
    async with writer.unit_of_work() as uow:
        return await tables.directory.named(uow.session, domain.REFERENCES, changes, fill=False)


async def _named(session: AsyncSession, arg: Any) -> Any:
    return await tables.directory.named_model(session, arg) if isinstance(arg, BaseModel) else arg


async def reassess_readiness(uow: UnitOfWork, holder_ids: set[str], margin_days: int) -> int:
    """After passport news: every open outgoing visit with a member linked to these holders."""
    repo = VisitRepository(uow.session)
    passports = await passports_of(uow.session, holder_ids)
    changed = 0
    for visit in await repo.open_outgoing():
        linked = readiness.linked_holders(visit)
        if not linked & holder_ids:
            continue
        others = await passports_of(uow.session, linked - holder_ids)
        assessed, events = readiness.assess(visit, {**passports, **others}, margin_days)
        if events:
            saved = await repo.save(assessed, previous_version=visit.version)
            await uow.record(saved, events)
            changed += 1
    return changed


async def sweep_reminders(writer: Writer, today: date, settings: ServiceSettings) -> int:
    """The reminders talking points and trip reports call for today, each published once
    (the keys saved with the events): restart-safe, and harmless to run again."""
    notice = settings.talking_points_notice_days
    changed = 0
    async with writer.unit_of_work() as uow:
        repo = VisitRepository(uow.session)
        for visit in await repo.with_talking_points(domain.PLANNING):
            reminded, events = domain.remind_visit(visit, today, notice)
            if events:
                saved = await repo.save(reminded, previous_version=visit.version)
                await uow.record(saved, events)
                changed += 1
        sweeps = (
            (tables.meetings, Meeting, "meeting", ("planned", "confirmed"),
             lambda m: remind_meeting(m, today, notice)),
            (tables.business_trips, BusinessTrip, "business trip", ("approved", "completed"),
             lambda t: remind_trip(t, today, settings.trip_report_days)),
        )  # fmt: skip
        for table, model, noun, statuses, remind in sweeps:
            documents = ActivityRepository(uow.session, table, model, noun)
            for activity in await documents.find(table.c.status.in_(statuses)):
                step = remind(activity)
                if step[1]:
                    await save_document(uow, documents, step, activity.version)
                    changed += 1
    return changed
