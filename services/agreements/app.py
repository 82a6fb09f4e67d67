"""The agreements service application: ``uvicorn --factory services.agreements.app:create_app``."""

from __future__ import annotations

from functools import partial

from fastapi import FastAPI

from services.agreements import consumers, tables, usecases
from services.agreements.api import action_plans, agreements, commissions, obligations
from shared import topics
from shared.app import ServiceContext, ServiceSpec, create_service_app
from shared.clock import today
from shared.schedule import PeriodicTask
from shared.settings import ServiceSettings, load_settings


async def _sweep(ctx: ServiceContext) -> int:
    """Obligations' and agreements' due dates, each reminder published once."""
    return await usecases.sweep_reminders(ctx.writer, today(), ctx.settings)


def make_schedules(ctx: ServiceContext) -> list[PeriodicTask]:
    interval = ctx.settings.reminder_sweep_interval
    return [PeriodicTask("reminder-sweep", interval, partial(_sweep, ctx))]


SPEC = ServiceSpec(
    name="agreements",
    title="IRP agreements service",
    description="International agreements and their lifecycle (proposal to entry into force, "
    "renewal and expiry); the obligations they and the EU Association Agenda, the action "
    "plans and the UN mechanisms put on the ministry, with their progress reports; the "
    "action plans; intergovernmental commissions with their sessions and decisions. "
    "Scopes: agreements:read, agreements:write.",
    tags={
        "agreements": "Bilateral and multilateral agreements, from proposal through "
        "signature and entry into force to expiry or termination, with their dates.",
        "obligations": "What the ministry must do and by when (EU Association Agenda "
        "measures, UN recommendations, agreements' commitments), with progress reports "
        "and a CSV/XLSX import.",
        "action-plans": "The yearly EU Association Agenda action plans.",
        "commissions": "Intergovernmental commissions: sessions, their protocol and the "
        "decisions taken (each becomes an obligation).",
    },
    package=__package__,
    routers=[agreements.router, obligations.router, action_plans.router, commissions.router],
    outbox_table=tables.outbox,
    topic=topics.AGREEMENTS,
    idempotency_table=tables.idempotency_keys,
    make_consumers=consumers.make_consumers,
    make_schedules=make_schedules,
    large_bodies={"/v1/obligations/import": "max_import_bytes"},
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("agreements"))
