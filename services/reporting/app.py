"""The reporting service application: ``uvicorn --factory services.reporting.app:create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from services.reporting import api, projections, tables
from shared import topics
from shared.app import ServiceContext, ServiceSpec, create_service_app
from shared.consumer import EventConsumer
from shared.settings import ServiceSettings, load_settings

STREAMS = (topics.VISITS, topics.AGREEMENTS, topics.PASSPORTS)


def make_consumers(ctx: ServiceContext) -> list[EventConsumer]:
    return [ctx.consumer(topics=STREAMS, inbox=tables.inbox, apply=projections.apply_events)]


SPEC = ServiceSpec(
    name="reporting",
    title="IRP reporting service",
    routers=[api.router],
    make_consumers=make_consumers,
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("reporting"))
