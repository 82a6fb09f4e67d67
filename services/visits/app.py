"""The visits service application: ``uvicorn --factory services.visits.app:create_app``."""

from __future__ import annotations

from functools import partial

from fastapi import FastAPI

from services.visits import consumers, tables, usecases
from services.visits.api import activities, calendar, plan, visits
from shared import topics
from shared.app import ServiceContext, ServiceSpec, create_service_app
from shared.clock import today
from shared.schedule import PeriodicTask
from shared.settings import ServiceSettings, load_settings


async def _sweep(ctx: ServiceContext) -> int:
    """Talking points' and trip reports' due dates, each reminder published once."""
    return await usecases.sweep_reminders(ctx.writer, today(), ctx.settings)


def make_schedules(ctx: ServiceContext) -> list[PeriodicTask]:
    interval = ctx.settings.reminder_sweep_interval
    return [PeriodicTask("reminder-sweep", interval, partial(_sweep, ctx))]


SPEC = ServiceSpec(
    name="visits",
    title="IRP visits service",
    description="Official visits (incoming and outgoing) with their delegation, programme, "
    "logistics, talking points, bilateral meeting proposals and outcome; ministerial "
    "meetings, international events and business trips; the calendar feed of all of them. "
    "Scopes: visits:read, visits:write.",
    tags={
        "visits": "Official, working and delegation visits, and their lifecycle "
        "(draft → planned → confirmed → in_progress → completed → reported, or postponed, "
        "cancelled).",
        "visit plan": "What a visit is made of: delegation, programme, accommodation, "
        "travel, talking points, bilateral meeting proposals and the outcome. Each change "
        "answers with the visit's new ETag.",
        "meetings": "Ministerial meetings outside a visit, with talking points and outcome.",
        "international-events": "Conferences, summits and forums the ministry attends or hosts.",
        "business-trips": "The ministry's officials travelling abroad, from the order to the "
        "trip report.",
        "calendar": "Everything dated, as an iCalendar feed for the officials' calendars.",
    },
    package=__package__,
    routers=[visits.router, plan.router, *activities.routers, calendar.router, calendar.keyed],
    outbox_table=tables.outbox,
    topic=topics.VISITS,
    idempotency_table=tables.idempotency_keys,
    make_consumers=consumers.make_consumers,
    make_schedules=make_schedules,
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("visits"))
