"""HTTP routes of the visits service: thin, they parse and delegate to the use cases."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.visits import usecases
from services.visits.api.common import change_visit, load_visit, visit_response
from services.visits.domain import visit as domain
from services.visits.domain.delegation import DelegationMember
from services.visits.domain.logistics import Accommodation, TravelSegment
from services.visits.domain.outcome import Outcome
from services.visits.domain.preparation import BilateralProposal, TalkingPoints
from services.visits.domain.programme import ProgrammeItem
from services.visits.domain.visit import LIFECYCLE, Visit
from services.visits.repository import VisitFilter, VisitRepository
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import today
from shared.contracts.base import LocalizedText
from shared.http.idempotency import created
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.writes import ChangeRequest, Created, CreateRequest, change_request, create_request
from shared.types import BilingualText, CountryCode, Day, ShortText, StrictModel, TransitionRequest
from shared.writes import UnitOfWork

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


async def _register(uow: UnitOfWork, body: VisitIn) -> Created:
    visit = await usecases.register_visit(uow, body.as_fields())
    return created(_out(visit), f"/v1/visits/{visit.id}", visit.version)


@router.post("", status_code=201, response_model=VisitOut)
async def create_visit(
    body: VisitIn, request: CreateRequest = create_request("visits:write")
) -> JSONResponse:
    return await request.create("POST /v1/visits", body, partial(_register, body=body))


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
    visit = await load_visit(ctx, visit_id)
    return visit_response(detail_out(visit), visit)


@router.patch("/{visit_id}", response_model=VisitDetailOut)
async def edit_visit(
    visit_id: str, body: VisitPatch, request: ChangeRequest = change_request("visits:write")
) -> JSONResponse:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    visit = await change_visit(request, visit_id, domain.edit_visit, changes)
    return visit_response(detail_out(visit), visit)


@router.post("/{visit_id}/transitions", response_model=VisitOut)
async def transition_visit(
    visit_id: str, body: TransitionRequest, request: ChangeRequest = change_request("visits:write")
) -> JSONResponse:
    visit = await change_visit(
        request, visit_id, domain.change_status, body.to, body.reason, today()
    )
    return visit_response(detail_out(visit), visit)
