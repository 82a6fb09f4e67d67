"""The directory service application: ``uvicorn --factory services.directory.app:create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from services.directory import tables
from services.directory.api import audit, counterparts, posts, units
from shared import topics
from shared.app import ServiceSpec, create_service_app
from shared.settings import ServiceSettings, load_settings

SPEC = ServiceSpec(
    name="directory",
    title="IRP directory service",
    description="Who is who: the ministry's units and LEPLs (their names over time, "
    "hierarchy, notice addresses, mergers), the counterpart organisations the office deals "
    "with (donors, international organisations, embassies and missions, foreign ministries "
    "and agencies, state bodies) and the people in posts in both. Every other service "
    "refers to them by id. Scopes: directory:read, directory:write, directory:audit.",
    tags={
        "units": "The ministry's units and LEPLs, renamed, moved, merged and closed with "
        "their history kept.",
        "counterparts": "The organisations the ministry deals with, with their standard "
        "identifiers (IATI for donors).",
        "posts": "Who holds which post where, from when to when (personal data: names and "
        "work contacts never leave in an event).",
        "audit": "Who was shown which posts' holders, and when.",
    },
    package=__package__,
    routers=[units.router, counterparts.router, posts.router, audit.router],
    outbox_table=tables.outbox,
    topic=topics.DIRECTORY,
    idempotency_table=tables.idempotency_keys,
    personal_data_paths=("/v1/posts", "/v1/audit"),
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("directory"))
