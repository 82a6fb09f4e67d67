"""The visits service application: ``uvicorn --factory services.visits.app:create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from services.visits import consumers, tables
from services.visits.api import activities, calendar, plan, visits
from shared import topics
from shared.app import ServiceSpec, create_service_app
from shared.settings import ServiceSettings, load_settings

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
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("visits"))
