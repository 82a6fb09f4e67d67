"""``/v1/counterparts``: the organisations the ministry deals with."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from services.directory import repository, tables
from services.directory.api.common import READ, WRITE, Closure, Renaming
from services.directory.domain import counterpart as domain
from services.directory.domain.counterpart import Counterpart, CounterpartKind, Identifiers
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import today
from shared.http.examples import examples
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource
from shared.http.writes import ChangeRequest, change_request
from shared.types import CountryCode, Day, ShortText, StrictModel

counterparts = LifecycleResource(
    "counterparts", "counterpart", Counterpart, tables.counterparts, scope="directory",
    transitions=False, exclude=("name_since", "former_names"),
    example={
        "name": {
            "ka": "გაეროს განვითარების პროგრამა",
            "en": "United Nations Development Programme",
        },
        "kind": "donor",
        "country_code": None,
        "acronym": "UNDP",
        "identifiers": {"iati": "XM-DAC-41114"},
    },
)  # fmt: skip
router = counterparts.router
CHANGE = change_request(WRITE)


class CounterpartChange(StrictModel):
    """What may change without a new name: only the fields sent change."""

    model_config = examples({"identifiers": {"iati": "XM-DAC-41114"}})

    kind: CounterpartKind = Field(None, description="its kind (it cannot be cleared)")  # type: ignore[assignment]
    country_code: CountryCode | None = Field(None, description="its country")
    acronym: ShortText | None = Field(None, description="its usual short name")
    identifiers: Identifiers = Field(None, description="its standard identifiers (all of them)")  # type: ignore[assignment]
    on: Day | None = Field(None, description="the day the change takes effect; default today")


@router.get("", response_model=Page[counterparts.output], summary="List counterparts")  # type: ignore[name-defined]
async def list_counterparts(
    kind: CounterpartKind | None = Query(None, description="only of this kind"),
    country: CountryCode | None = Query(None, description="only of this country"),
    page: PageRequest = Depends(page_request),
    _: Principal = require_scope(READ),
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    """The counterparts in registration order, filtered by kind or country."""
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await repository.list_counterparts(session, kind, country, page)
    return {"items": [counterparts.out(c) for c in items], "next_cursor": cursor}


@router.post(
    "/{counterpart_id}/renaming", response_model=counterparts.output, summary="Rename a counterpart"
)
async def rename_counterpart(
    counterpart_id: str, body: Renaming, request: ChangeRequest = CHANGE
) -> JSONResponse:
    """Known by the new name from ``on``; the old one stays in former_names."""
    step = domain.rename_counterpart
    return counterparts.respond(
        await counterparts.change(request, counterpart_id, step, body.name, body.on)
    )


@router.patch(
    "/{counterpart_id}", response_model=counterparts.output, summary="Change a counterpart"
)
async def change_counterpart(
    counterpart_id: str, body: CounterpartChange, request: ChangeRequest = CHANGE
) -> JSONResponse:
    """Its kind, country, acronym or identifiers; only the fields sent change."""
    changes = {n: getattr(body, n) for n in body.model_fields_set - {"on"}}
    step = domain.change_counterpart
    changed = await counterparts.change(request, counterpart_id, step, changes, body.on or today())
    return counterparts.respond(changed)


@router.post(
    "/{counterpart_id}/closure", response_model=counterparts.output, summary="Close a counterpart"
)
async def close_counterpart(
    counterpart_id: str, body: Closure, request: ChangeRequest = CHANGE
) -> JSONResponse:
    """The organisation no longer exists (or no longer deals with the ministry) from ``on``."""
    step = domain.close_counterpart
    return counterparts.respond(
        await counterparts.change(request, counterpart_id, step, body.reason, body.on)
    )
