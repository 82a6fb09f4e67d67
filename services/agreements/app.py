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
    large_bodies={"/v1/obligations/import": "max_import_bytes"},
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("agreements"))
