"""The passports service application: ``uvicorn --factory services.passports.app:create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from services.passports import api, tables
from shared import topics
from shared.app import ServiceSpec, create_service_app
from shared.settings import ServiceSettings, load_settings

SPEC = ServiceSpec(
    name="passports",
    title="IRP passports service",
    routers=[api.router],
    outbox_table=tables.outbox,
    topic=topics.PASSPORTS,
    idempotency_table=tables.idempotency_keys,
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("passports"))
