"""``/v1/agreements``: agreements, their lifecycle with the date of each step, their dates."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from services.agreements import repository, tables
from services.agreements.domain.agreement import (
    Agreement,
    AgreementType,
    change_dates,
    move_agreement,
)
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import today
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource
from shared.http.writes import ChangeRequest, change_request
from shared.settings import load_settings
from shared.types import CountryCode, Day, StrictModel, TransitionRequest

READ, WRITE = require_scope("agreements:read"), change_request("agreements:write")


@lru_cache(maxsize=1)
def _expiry_window() -> int:
    return load_settings("agreements").expiry_window_days


class AgreementOut(Agreement):
    allowed_transitions: list[str]
    expiring_soon: bool = Field(description="in force, and its expiry or renewal date is near")


def _derived(agreement: Agreement) -> dict[str, Any]:
    return {"expiring_soon": agreement.is_expiring_soon(today(), _expiry_window())}


agreements = LifecycleResource(
    "agreements", "agreement", Agreement, tables.agreements, scope="agreements",
    exclude=("signed_on", "in_force_on", "ended_on", "step_dates"), transitions=False,
    output=AgreementOut, derived=_derived,
)  # fmt: skip
router = agreements.router


class DatedTransition(TransitionRequest):
    on: Day | None = Field(None, description="the date of the step; default today")


class AgreementDates(StrictModel):
    expires_on: Day | None = None
    renewal_due_on: Day | None = None
    in_force_on: Day | None = None


@router.get("", response_model=Page[AgreementOut])
async def list_agreements(
    agreement_type: AgreementType | None = None,
    status: str | None = Query(None, max_length=30),
    country: CountryCode | None = Query(None, description="a party"),
    expiring: bool = Query(False, description="only those whose expiry or renewal is near"),
    page: PageRequest = Depends(page_request),
    _: Principal = READ,
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await repository.list_agreements(
            session, page, agreement_type=agreement_type, status=status, country=country,
            in_force_only=expiring,
        )  # fmt: skip
    if expiring:
        items = [a for a in items if a.is_expiring_soon(today(), _expiry_window())]
    return {"items": [agreements.out(a) for a in items], "next_cursor": cursor}


@router.post("/{aggregate_id}/transitions", response_model=agreements.output)
async def move_an_agreement(
    aggregate_id: str, body: DatedTransition, request: ChangeRequest = WRITE
) -> JSONResponse:
    """The lifecycle, with the date of each step (signature, entry into force, expiry...)."""
    moved = await agreements.change(
        request, aggregate_id, move_agreement, body.to, body.reason, body.on or today()
    )
    return agreements.respond(moved)


@router.patch("/{aggregate_id}/dates", response_model=agreements.output)
async def set_agreement_dates(
    aggregate_id: str, body: AgreementDates, request: ChangeRequest = WRITE
) -> JSONResponse:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    return agreements.respond(await agreements.change(request, aggregate_id, change_dates, changes))
