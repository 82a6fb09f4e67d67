"""The passports service application: ``uvicorn --factory services.passports.app:create_app``."""

from __future__ import annotations

from functools import partial

from fastapi import FastAPI

from services.passports import consumers, tables, usecases
from services.passports.api import audit, holders, passports
from shared import topics
from shared.app import ServiceContext, ServiceSpec, create_service_app
from shared.clock import today
from shared.schedule import PeriodicTask
from shared.settings import ServiceSettings, load_settings


async def _sweep(ctx: ServiceContext) -> int:
    """Expired, expiring and overdue passports, published once each."""
    return await usecases.sweep_passports(
        ctx.writer, today(), ctx.settings.passport_expiry_window_days
    )


def make_schedules(ctx: ServiceContext) -> list[PeriodicTask]:
    return [
        PeriodicTask("passport-sweep", ctx.settings.passport_sweep_interval, partial(_sweep, ctx))
    ]


SPEC = ServiceSpec(
    name="passports",
    title="IRP passports service",
    package=__package__,
    routers=[holders.router, passports.router, audit.router],
    outbox_table=tables.outbox,
    topic=topics.PASSPORTS,
    idempotency_table=tables.idempotency_keys,
    personal_data_paths=("/v1/holders", "/v1/passports", "/v1/audit"),
    make_consumers=consumers.make_consumers,
    make_schedules=make_schedules,
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("passports"))
