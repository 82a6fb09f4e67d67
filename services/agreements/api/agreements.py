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
from shared.http.examples import EXAMPLE_ID, examples
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
    """An agreement as answered, with what follows from it today."""

    allowed_transitions: list[str] = Field(description="the statuses it may move to now")
    expiring_soon: bool = Field(description="in force, and its expiry or renewal date is near")


def _derived(agreement: Agreement) -> dict[str, Any]:
    return {"expiring_soon": agreement.is_expiring_soon(today(), _expiry_window())}


EXAMPLE = {
    "agreement_type": "intergovernmental",
    "title": {
        "ka": "შეთანხმება საქართველოსა და ესტონეთს შორის ციფრული მმართველობის სფეროში",
        "en": "Agreement between Georgia and Estonia on cooperation in digital governance",
    },
    "parties": {"countries": ["EE"], "organisations": [], "organisation_ids": []},
    "responsible_unit": "International Relations and Protocol Department",
    "responsible_unit_id": EXAMPLE_ID,
    "funding": None,
    "depositary": None,
    "registration_number": None,
    "expires_on": "2031-12-31",
    "renewal_due_on": "2031-06-30",
}
agreements = LifecycleResource(
    "agreements", "agreement", Agreement, tables.agreements, scope="agreements",
    exclude=("signed_on", "in_force_on", "ended_on", "step_dates"), transitions=False,
    output=AgreementOut, derived=_derived, example=EXAMPLE, directory=tables.directory,
    derived_example={"expiring_soon": False},
)  # fmt: skip
router = agreements.router


class DatedTransition(TransitionRequest):
    """A lifecycle step, dated when it happened on another day than today."""

    model_config = examples({"to": "signed", "reason": None, "on": "2026-11-20"})

    on: Day | None = Field(None, description="the date of the step; default today")


class AgreementDates(StrictModel):
    """Dates known after registration; only those sent change."""

    model_config = examples({"in_force_on": "2027-01-01", "expires_on": "2031-12-31"})

    expires_on: Day | None = Field(None, description="its last day in force")
    renewal_due_on: Day | None = Field(None, description="when renewal must be decided")
    in_force_on: Day | None = Field(None, description="the day it enters (or entered) into force")


@router.get("", response_model=Page[AgreementOut], summary="List agreements")
async def list_agreements(
    agreement_type: AgreementType | None = Query(None, description="only of this type"),
    status: str | None = Query(None, max_length=30, description="only in this status"),
    country: CountryCode | None = Query(None, description="a party"),
    expiring: bool = Query(False, description="only those whose expiry or renewal is near"),
    page: PageRequest = Depends(page_request),
    _: Principal = READ,
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    """Agreements in registration order, filtered by type, status, party or a near expiry."""
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await repository.list_agreements(
            session, page, agreement_type=agreement_type, status=status, country=country,
            in_force_only=expiring,
        )  # fmt: skip
    if expiring:
        items = [a for a in items if a.is_expiring_soon(today(), _expiry_window())]
    return {"items": [agreements.out(a) for a in items], "next_cursor": cursor}


@router.post(
    "/{agreement_id}/transitions",
    response_model=agreements.output,
    summary="Move an agreement in its lifecycle",
)
async def transition_agreement(
    agreement_id: str, body: DatedTransition, request: ChangeRequest = WRITE
) -> JSONResponse:
    """The lifecycle, with the date of each step (signature, entry into force, expiry...)."""
    moved = await agreements.change(
        request, agreement_id, move_agreement, body.to, body.reason, body.on or today()
    )
    return agreements.respond(moved)


@router.patch(
    "/{agreement_id}/dates", response_model=agreements.output, summary="Set an agreement's dates"
)
async def set_agreement_dates(
    agreement_id: str, body: AgreementDates, request: ChangeRequest = WRITE
) -> JSONResponse:
    """Entry into force, expiry and renewal dates as they become known; only the fields sent
    change, and the dates must stay in order."""
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    return agreements.respond(await agreements.change(request, agreement_id, change_dates, changes))
