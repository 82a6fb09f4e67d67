"""``/v1/units``: the ministry's units and LEPLs, renamed, moved, merged and closed with
their history kept."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from pydantic import EmailStr, Field

from services.directory import repository, tables, usecases
from services.directory.api.common import READ, WRITE, Closure, Renaming
from services.directory.domain import unit as domain
from services.directory.domain.unit import Unit, UnitKind
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import today
from shared.http.examples import examples
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource
from shared.http.writes import ChangeRequest, change_request
from shared.types import Day, StrictModel

units = LifecycleResource(
    "units", "unit", Unit, tables.units, scope="directory", transitions=False,
    exclude=("name_since", "former_names", "valid_to", "merged_into"),
    register=usecases.register_unit,
    example={
        "name": {
            "ka": "საერთაშორისო ურთიერთობების დეპარტამენტი",
            "en": "International Relations Department",
        },
        "kind": "department",
        "parent_id": None,
        "notice_email": "international@mes.gov.ge",
        "valid_from": "2019-07-01",
    },
)  # fmt: skip
router = units.router
CHANGE = change_request(WRITE)


class UnitChange(StrictModel):
    """What may change in a unit without a new name: only the fields sent change."""

    model_config = examples({"notice_email": "ir-notices@mes.gov.ge"})

    kind: UnitKind = Field(None, description="its kind (it cannot be cleared)")  # type: ignore[assignment]
    parent_id: str | None = Field(None, max_length=36, description="the unit it belongs to")
    notice_email: EmailStr | None = Field(None, description="where notices go")
    on: Day | None = Field(None, description="the day the change takes effect; default today")


class Merger(StrictModel):
    """The unit joins another, which takes over its work from a day on."""

    model_config = examples({"into": "3d6a8e42-7c1b-4f9e-9a05-b1c2d3e4f5a6", "on": "2027-01-01"})

    into: str = Field(max_length=36, description="the id of the unit it joins")
    on: Day = Field(description="the first day the other unit carries its work")


@router.get("", response_model=Page[units.output], summary="List units")  # type: ignore[name-defined]
async def list_units(
    kind: UnitKind | None = Query(None, description="only of this kind"),
    parent_id: str | None = Query(None, max_length=36, description="only the units under it"),
    status: str | None = Query(None, max_length=20, description="active, merged or closed"),
    on: Day | None = Query(None, description="only the units that existed on that day"),
    page: PageRequest = Depends(page_request),
    _: Principal = require_scope(READ),
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    """The units in registration order, filtered by kind, parent, status or a day."""
    flt = repository.UnitFilter(kind, parent_id, status, on)
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await repository.list_units(session, flt, page)
    return {"items": [units.out(u) for u in items], "next_cursor": cursor}


@router.post("/{unit_id}/renaming", response_model=units.output, summary="Rename a unit")
async def rename_unit(
    unit_id: str, body: Renaming, request: ChangeRequest = CHANGE
) -> JSONResponse:
    """The unit is known by the new name from ``on``; the old one stays in former_names
    with the days it was used, so reports as of an earlier day show it."""
    step = domain.rename_unit
    return units.respond(await units.change(request, unit_id, step, body.name, body.on))


@router.patch("/{unit_id}", response_model=units.output, summary="Change a unit")
async def change_unit(
    unit_id: str, body: UnitChange, request: ChangeRequest = CHANGE
) -> JSONResponse:
    """Its kind, parent or notice address; only the fields sent change."""
    changes = {n: getattr(body, n) for n in body.model_fields_set - {"on"}}
    changed = await usecases.change_unit(
        request.writer, unit_id, changes, body.on or today(), request.expected_version
    )
    return units.respond(changed)


@router.post("/{unit_id}/merger", response_model=units.output, summary="Merge a unit into another")
async def merge_unit(unit_id: str, body: Merger, request: ChangeRequest = CHANGE) -> JSONResponse:
    """The unit ends the day before ``on`` and ``into`` carries its work from ``on``:
    reports as of a later day count its records under ``into``."""
    merged = await usecases.merge_units(
        request.writer, unit_id, body.into, body.on, request.expected_version
    )
    return units.respond(merged)


@router.post("/{unit_id}/closure", response_model=units.output, summary="Close a unit")
async def close_unit(unit_id: str, body: Closure, request: ChangeRequest = CHANGE) -> JSONResponse:
    """The unit is abolished from ``on`` without a successor."""
    step = domain.close_unit
    return units.respond(await units.change(request, unit_id, step, body.reason, body.on))
