"""The passports service application: ``uvicorn --factory services.passports.app:create_app``."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI

from services.passports import api, passports_api, tables, usecases
from shared import topics
from shared.app import ServiceContext, ServiceSpec, create_service_app
from shared.schedule import PeriodicTask
from shared.settings import ServiceSettings, load_settings


async def _sweep(ctx: ServiceContext) -> int:
    """Expired, expiring and overdue passports, published once each."""
    assert ctx.outbox is not None
    async with ctx.db.unit_of_work() as session:
        return await usecases.sweep_passports(
            session, ctx.outbox, datetime.now(UTC).date(), ctx.settings.passport_expiry_window_days
        )


SPEC = ServiceSpec(
    name="passports",
    title="IRP passports service",
    package=__package__,
    routers=[api.router, passports_api.router, api.audit_router],
    outbox_table=tables.outbox,
    topic=topics.PASSPORTS,
    idempotency_table=tables.idempotency_keys,
    personal_data_paths=("/v1/holders", "/v1/passports", "/v1/audit"),
    make_schedules=lambda ctx: [
        PeriodicTask("passport-sweep", ctx.settings.passport_sweep_interval, lambda: _sweep(ctx))
    ],
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("passports"))
