"""A producing service's event contract, served by the service itself (nothing from outside):
``/asyncapi.json`` (AsyncAPI 3.0), ``/asyncapi`` (the same as a page) and
``/events/schemas/{event_type}.json`` (each event's ``data`` as JSON Schema)."""

from __future__ import annotations

import functools
from typing import Any

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, JSONResponse

from shared import asyncapi
from shared.contracts.base import types_of
from shared.errors import NotFound


def router(service: str, topic: str, bootstrap: str) -> APIRouter:
    routes = APIRouter(tags=["events"])

    @functools.cache
    def document() -> dict[str, Any]:  # built once: the contracts do not change at run time
        return asyncapi.document(service, topic, bootstrap)

    @routes.get("/asyncapi.json", summary="The AsyncAPI 3.0 document of this service's events")
    async def asyncapi_json() -> JSONResponse:
        """Channels (the topic), the Kafka key, the CloudEvents envelope and one message per
        event type with its payload schema, generated from the event contracts."""
        return JSONResponse(document())

    @routes.get("/asyncapi", response_class=HTMLResponse, summary="The events, as a page")
    async def asyncapi_page() -> HTMLResponse:
        """The AsyncAPI document as a page for people: each event type, its key and its
        fields. Served by the service itself, with nothing fetched from elsewhere."""
        return HTMLResponse(asyncapi.html(document()))

    @routes.get("/events/schemas/{event_type}.json", summary="One event type's data as JSON Schema")
    async def event_schema(
        event_type: str = Path(
            description="the event type as published in the envelope's type, e.g. "
            "irp.visits.VisitCreated.v1"
        ),
    ) -> JSONResponse:
        """The JSON Schema (2020-12) of the event type's ``data``, generated from its
        contract; 404 for a type this service does not publish."""
        if event_type not in types_of(service):
            raise NotFound(f"{service} publishes no event type {event_type}")
        return JSONResponse(asyncapi.event_schema(event_type))

    return routes
