"""HTTP routes of the visits service: thin, they parse and delegate to the use cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.visits import domain, usecases
from services.visits.delegation import DelegationMember
from services.visits.domain import LIFECYCLE, Visit
from services.visits.logistics import Accommodation, TravelSegment
from services.visits.outcome import Outcome
from services.visits.preparation import BilateralProposal, TalkingPoints
from services.visits.programme import ProgrammeItem
from services.visits.repository import VisitFilter, VisitRepository
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.contracts.base import LocalizedText
from shared.http.conditional import etag, expected_version
from shared.http.idempotency import created
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import today
from shared.types import BilingualText, CountryCode, Day, ShortText, StrictModel, TransitionRequest

router = APIRouter(prefix="/v1/visits", tags=["visits"])

Kind = Literal["official", "working", "delegation"]
LeadLevel = Literal[
    "head_of_state",
    "head_of_government",
    "minister",
    "deputy_minister",
    "head_of_agency",
    "other",
]
Status = Literal[tuple(sorted(LIFECYCLE.states))]  # type: ignore[valid-type]


class VisitIn(StrictModel):
    direction: Literal["incoming", "outgoing"] = Field(
        description="incoming: a foreign delegation to Georgia; outgoing: the ministry abroad"
    )
    kind: Kind = Field(description="official, working, or a delegation visit")
    lead_level: LeadLevel | None = Field(None, description="rank of the visit's lead official")
    country_code: CountryCode | None = Field(
        None, description="counterpart country, ISO 3166-1 alpha-2"
    )
    organisation: ShortText | None = Field(None, description="counterpart organisation")
    our_lead_official: ShortText | None = Field(None, description="who leads on Georgia's side")
    counterpart_lead_official: ShortText | None = Field(
        None, description="who leads on the other side"
    )
    title: BilingualText = Field(description="in Georgian (ka) and/or English (en)")
    purpose: LocalizedText | None = Field(None, description="why the visit takes place")
    start_date: Day | None = Field(None, description="first day (needed to plan the visit)")
    end_date: Day | None = Field(None, description="last day, not before start_date")
    city: ShortText | None = Field(None, description="where the visit takes place")
    responsible_unit: ShortText | None = Field(None, description="the ministry unit in charge")
    responsible_officer: ShortText | None = Field(None, description="the protocol officer")


class VisitPatch(StrictModel):
    """Only the fields sent change; dates only while the visit is draft, planned or postponed."""

    kind: Kind | None = None
    lead_level: LeadLevel | None = None
    country_code: CountryCode | None = None
    organisation: ShortText | None = None
    our_lead_official: ShortText | None = None
    counterpart_lead_official: ShortText | None = None
    title: BilingualText | None = None
    purpose: LocalizedText | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    city: ShortText | None = None
    responsible_unit: ShortText | None = None
    responsible_officer: ShortText | None = None


class VisitOut(BaseModel):
    id: str
    direction: str
    kind: str
    lead_level: str | None
    country_code: str | None
    organisation: str | None
    our_lead_official: str | None
    counterpart_lead_official: str | None
    title: LocalizedText
    purpose: LocalizedText | None
    start_date: date | None
    end_date: date | None
    city: str | None
    responsible_unit: str | None
    responsible_officer: str | None
    status: str
    status_reason: str | None
    allowed_transitions: list[str]
    head_of_delegation: str | None = Field(description="Latin-script name of the head")
    delegation_size: int
    programme_items: int
    outcome_recorded: bool
    version: int
    created_at: datetime
    updated_at: datetime


class VisitDetailOut(VisitOut):
    """The whole visit: its delegation, programme, logistics, preparation and outcome."""

    delegation: list[DelegationMember]
    programme: list[ProgrammeItem]
    accommodations: list[Accommodation]
    travel: list[TravelSegment]
    talking_points: list[TalkingPoints]
    meeting_proposals: list[BilateralProposal]
    outcome: Outcome | None


def _summary(visit: Visit) -> dict[str, Any]:
    fields = {name: getattr(visit, name) for name in VisitOut.model_fields if hasattr(visit, name)}
    head = visit.head_of_delegation
    return {
        **fields,
        "allowed_transitions": sorted(LIFECYCLE.allowed_from(visit.status)),
        "head_of_delegation": head.name_latin if head else None,
        "delegation_size": len(visit.delegation),
        "programme_items": len(visit.programme),
        "outcome_recorded": visit.outcome is not None,
    }


def _out(visit: Visit) -> VisitOut:
    return VisitOut(**_summary(visit))


def detail_out(visit: Visit) -> VisitDetailOut:
    return VisitDetailOut(
        **_summary(visit),
        delegation=list(visit.delegation),
        programme=list(visit.programme),
        accommodations=list(visit.accommodations),
        travel=list(visit.travel),
        talking_points=list(visit.talking_points),
        meeting_proposals=list(visit.proposals),
        outcome=visit.outcome,
    )


@router.post("", status_code=201, response_model=VisitOut)
async def create_visit(
    body: VisitIn,
    principal: Principal = require_scope("visits:write"),
    idempotency_key: str | None = Header(None),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    async def create(session):  # type: ignore[no-untyped-def]
        visit = await usecases.register_visit(session, ctx.outbox, **body.as_fields())
        return created(_out(visit), f"/v1/visits/{visit.id}", visit.version)

    assert ctx.idempotency is not None
    return await ctx.idempotency.create(
        principal=principal,
        key=idempotency_key,
        endpoint="POST /v1/visits",
        body=body,
        create=create,
    )


@router.get("", response_model=Page[VisitOut])
async def list_visits(
    status: Status | None = None,
    direction: Literal["incoming", "outgoing"] | None = None,
    kind: Kind | None = None,
    country_code: CountryCode | None = Query(None, alias="country"),
    starts_from: Day | None = Query(None, alias="from", description="start date on or after"),
    starts_to: Day | None = Query(None, alias="to", description="start date on or before"),
    official: str | None = Query(
        None, max_length=200, description="lead official on either side (exact name)"
    ),
    page: PageRequest = Depends(page_request),
    _: Principal = require_scope("visits:read"),
    ctx: ServiceContext = Depends(get_context),
) -> Page[VisitOut]:
    flt = VisitFilter(status, direction, kind, country_code, starts_from, starts_to, official)
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await VisitRepository(session).list(flt, page)
    return Page[VisitOut](items=[_out(v) for v in items], next_cursor=cursor)


@router.get("/{visit_id}", response_model=VisitDetailOut)
async def get_visit(
    visit_id: str,
    _: Principal = require_scope("visits:read"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    async with ctx.db.unit_of_work(write=False) as session:
        visit = await VisitRepository(session).get(visit_id)
    return visit_response(detail_out(visit), visit)


@router.patch("/{visit_id}", response_model=VisitDetailOut)
async def edit_visit(
    visit_id: str,
    body: VisitPatch,
    if_match: str | None = Header(None),
    _: Principal = require_scope("visits:write"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    visit = await change(ctx, visit_id, lambda v: domain.edit_visit(v, changes), if_match)
    return visit_response(detail_out(visit), visit)


@router.post("/{visit_id}/transitions", response_model=VisitOut)
async def transition_visit(
    visit_id: str,
    body: TransitionRequest,
    if_match: str | None = Header(None),
    _: Principal = require_scope("visits:write"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    visit = await change(
        ctx, visit_id, lambda v: domain.change_status(v, body.to, body.reason, today()), if_match
    )
    return visit_response(detail_out(visit), visit)


async def change(
    ctx: ServiceContext,
    visit_id: str,
    step: Callable[[Visit], Visit],
    if_match: str | None,
) -> Visit:
    """One domain change to a visit, in one transaction, honouring ``If-Match``."""
    assert ctx.outbox is not None
    async with ctx.db.unit_of_work() as session:
        return await usecases.change_visit(
            session,
            ctx.outbox,
            visit_id,
            step,
            expected_version=expected_version(if_match),
            margin_days=ctx.settings.passport_validity_margin_days,
        )


def visit_response(body: BaseModel, visit: Visit, status: int = 200) -> JSONResponse:
    return JSONResponse(
        body.model_dump(mode="json"), status_code=status, headers={"ETag": etag(visit.version)}
    )
