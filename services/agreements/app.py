"""The agreements service application: ``uvicorn --factory services.agreements.app:create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from services.agreements import consumers, tables
from services.agreements.api import action_plans, agreements, commissions, obligations
from shared import topics
from shared.app import ServiceSpec, create_service_app
from shared.settings import ServiceSettings, load_settings

SPEC = ServiceSpec(
    name="agreements",
    title="IRP agreements service",
    package=__package__,
    routers=[agreements.router, obligations.router, action_plans.router, commissions.router],
    outbox_table=tables.outbox,
    topic=topics.AGREEMENTS,
    idempotency_table=tables.idempotency_keys,
    make_consumers=consumers.make_consumers,
    large_bodies={"/v1/obligations/import": "max_import_bytes"},
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("agreements"))
