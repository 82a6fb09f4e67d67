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
    package=__package__,
    routers=[visits.router, plan.router, *activities.routers, calendar.router, calendar.keyed],
    outbox_table=tables.outbox,
    topic=topics.VISITS,
    idempotency_table=tables.idempotency_keys,
    make_consumers=consumers.make_consumers,
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("visits"))
