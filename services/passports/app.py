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
    description="Diplomatic and service passports: the officials entitled to them (holders), "
    "applications, issue, hand-over, return after dismissal, expiry. Personal numbers, "
    "dates of birth and passport numbers are shown only with passports:pii, and every "
    "such answer is recorded in the audit log. Scopes: passports:read, passports:write, "
    "passports:pii, passports:audit.",
    tags={
        "holders": "Officials entitled to a diplomatic or service passport by their office.",
        "passports": "Applications and passports, from request to return or expiry.",
        "audit": "Who was shown which holder's personal data, and when.",
    },
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
