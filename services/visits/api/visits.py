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
from shared.http.examples import EXAMPLE_ID, OTHER_ID, as_kept, examples
from shared.http.idempotency import created
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.writes import ChangeRequest, Created, CreateRequest, change_request, create_request
from shared.references import deprecated
from shared.types import (
    BilingualText,
    CountryCode,
    Day,
    Id,
    ShortText,
    StrictModel,
    TransitionRequest,
)
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


VISIT_EXAMPLE = {
    "direction": "incoming",
    "kind": "official",
    "lead_level": "minister",
    "country_code": "FR",
    "organisation": "Ministry of National Education",
    "organisation_id": OTHER_ID,
    "counterpart_post_id": None,
    "our_lead_official": "Minister",
    "counterpart_lead_official": "Minister of National Education",
    "title": {
        "ka": "საფრანგეთის განათლების მინისტრის ოფიციალური ვიზიტი",
        "en": "Official visit of the Minister of National Education of France",
    },
    "purpose": {"ka": "", "en": "Cooperation in teacher training"},
    "start_date": "2027-03-15",
    "end_date": "2027-03-17",
    "city": "Tbilisi",
    "responsible_unit": "International Relations and Protocol Department",
    "responsible_unit_id": EXAMPLE_ID,
    "responsible_officer": "Protocol Officer",
}
VISIT_ANSWER = as_kept(
    VISIT_EXAMPLE,
    status="draft",
    status_reason=None,
    allowed_transitions=["cancelled", "planned"],
    head_of_delegation=None,
    delegation_size=0,
    programme_items=0,
    outcome_recorded=False,
)


class VisitIn(StrictModel):
    """A visit to register (status draft)."""

    model_config = examples(VISIT_EXAMPLE)

    direction: Literal["incoming", "outgoing"] = Field(
        description="incoming: a foreign delegation to Georgia; outgoing: the ministry abroad"
    )
    kind: Kind = Field(description="official, working, or a delegation visit")
    lead_level: LeadLevel | None = Field(None, description="rank of the visit's lead official")
    country_code: CountryCode | None = Field(
        None, description="counterpart country, ISO 3166-1 alpha-2"
    )
    organisation: ShortText | None = Field(
        None, description=deprecated("the counterpart organisation")
    )
    organisation_id: Id | None = Field(
        None, description="the counterpart organisation: its id in the directory"
    )
    counterpart_post_id: Id | None = Field(
        None,
        description="the post of the counterpart's lead official in the directory (its "
        "organisation follows)",
    )
    our_lead_official: ShortText | None = Field(None, description="who leads on Georgia's side")
    counterpart_lead_official: ShortText | None = Field(
        None, description="who leads on the other side"
    )
    title: BilingualText = Field(description="in Georgian (ka) and/or English (en)")
    purpose: LocalizedText | None = Field(None, description="why the visit takes place")
    start_date: Day | None = Field(None, description="first day (needed to plan the visit)")
    end_date: Day | None = Field(None, description="last day, not before start_date")
    city: ShortText | None = Field(None, description="where the visit takes place")
    responsible_unit: ShortText | None = Field(
        None, description=deprecated("the ministry unit in charge")
    )
    responsible_unit_id: Id | None = Field(
        None, description="the ministry unit in charge: its id in the directory"
    )
    responsible_officer: ShortText | None = Field(None, description="the protocol officer")


class VisitPatch(StrictModel):
    """Only the fields sent change; dates only while the visit is draft, planned or postponed."""

    model_config = examples({"start_date": "2027-03-16", "end_date": "2027-03-18"})

    kind: Kind | None = Field(None, description="official, working or delegation")
    lead_level: LeadLevel | None = Field(None, description="rank of the visit's lead official")
    country_code: CountryCode | None = Field(
        None, description="counterpart country, ISO 3166-1 alpha-2"
    )
    organisation: ShortText | None = Field(
        None, description=deprecated("the counterpart organisation")
    )
    organisation_id: Id | None = Field(
        None, description="the counterpart organisation: its id in the directory"
    )
    counterpart_post_id: Id | None = Field(
        None,
        description="the post of the counterpart's lead official in the directory (its "
        "organisation follows)",
    )
    our_lead_official: ShortText | None = Field(None, description="who leads on Georgia's side")
    counterpart_lead_official: ShortText | None = Field(
        None, description="who leads on the other side"
    )
    title: BilingualText | None = Field(None, description="in Georgian (ka) and/or English (en)")
    purpose: LocalizedText | None = Field(None, description="why the visit takes place")
    start_date: Day | None = Field(None, description="first day")
    end_date: Day | None = Field(None, description="last day, not before start_date")
    city: ShortText | None = Field(None, description="where the visit takes place")
    responsible_unit: ShortText | None = Field(
        None, description=deprecated("the ministry unit in charge")
    )
    responsible_unit_id: Id | None = Field(
        None, description="the ministry unit in charge: its id in the directory"
    )
    responsible_officer: ShortText | None = Field(None, description="the protocol officer")


class VisitOut(BaseModel):
    """A visit in summary: its fields and counts of what its plan holds."""

    model_config = examples(VISIT_ANSWER)

    id: str = Field(description="the visit's id (a UUID)")
    direction: str = Field(description="incoming or outgoing")
    kind: str = Field(description="official, working or delegation")
    lead_level: str | None = Field(description="rank of the visit's lead official")
    country_code: str | None = Field(description="counterpart country, ISO 3166-1 alpha-2")
    organisation: str | None = Field(description="counterpart organisation")
    organisation_id: str | None = Field(description="its id in the directory, when known")
    counterpart_post_id: str | None = Field(
        description="the post of the counterpart's lead official in the directory"
    )
    our_lead_official: str | None = Field(description="who leads on Georgia's side")
    counterpart_lead_official: str | None = Field(description="who leads on the other side")
    title: LocalizedText = Field(description="in Georgian (ka) and/or English (en)")
    purpose: LocalizedText | None = Field(description="why the visit takes place")
    start_date: date | None = Field(description="first day")
    end_date: date | None = Field(description="last day")
    city: str | None = Field(description="where the visit takes place")
    responsible_unit: str | None = Field(description="the ministry unit in charge")
    responsible_unit_id: str | None = Field(description="its id in the directory, when known")
    responsible_officer: str | None = Field(description="the protocol officer")
    status: str = Field(
        description="draft → planned → confirmed → in_progress → completed → reported; postponed "
        "(then planned again) or cancelled (with a reason)"
    )
    status_reason: str | None = Field(description="why it was last moved, when given")
    allowed_transitions: list[str] = Field(description="the statuses it may move to now")
    head_of_delegation: str | None = Field(description="Latin-script name of the head")
    delegation_size: int = Field(description="members in the delegation")
    programme_items: int = Field(description="items in the programme")
    outcome_recorded: bool = Field(description="the outcome is recorded")
    version: int = Field(description="how many changes it has had; its ETag")
    created_at: datetime = Field(description="when it was registered (UTC)")
    updated_at: datetime = Field(description="when it last changed (UTC)")


class VisitDetailOut(VisitOut):
    """The whole visit: its delegation, programme, logistics, preparation and outcome."""

    model_config = examples(
        {
            **VISIT_ANSWER,
            "delegation": [],
            "programme": [],
            "accommodations": [],
            "travel": [],
            "talking_points": [],
            "meeting_proposals": [],
            "outcome": None,
        }
    )

    delegation: list[DelegationMember] = Field(description="the delegation, in order of precedence")
    programme: list[ProgrammeItem] = Field(description="the programme, in time order")
    accommodations: list[Accommodation] = Field(description="hotel bookings")
    travel: list[TravelSegment] = Field(description="journeys")
    talking_points: list[TalkingPoints] = Field(description="talking points asked for")
    meeting_proposals: list[BilateralProposal] = Field(description="bilateral meetings proposed")
    outcome: Outcome | None = Field(description="what the visit achieved, once recorded")


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


@router.post("", status_code=201, response_model=VisitOut, summary="Register a visit")
async def create_visit(
    body: VisitIn, request: CreateRequest = create_request("visits:write")
) -> JSONResponse:
    """Registers a visit as a draft; its plan (delegation, programme...) is added next. A
    retry with the same Idempotency-Key creates nothing more and gets the first answer."""
    return await request.create("POST /v1/visits", body, partial(_register, body=body))


@router.get("", response_model=Page[VisitOut], summary="List visits")
async def list_visits(
    status: Status | None = Query(None, description="only in this status"),
    direction: Literal["incoming", "outgoing"] | None = Query(
        None, description="only incoming or only outgoing visits"
    ),
    kind: Kind | None = Query(None, description="only of this kind"),
    country_code: CountryCode | None = Query(
        None, alias="country", description="only with this counterpart country"
    ),
    starts_from: Day | None = Query(None, alias="from", description="start date on or after"),
    starts_to: Day | None = Query(None, alias="to", description="start date on or before"),
    official: str | None = Query(
        None, max_length=200, description="lead official on either side (exact name)"
    ),
    responsible_unit_id: str | None = Query(
        None, max_length=36, description="the unit in charge, by its id in the directory"
    ),
    organisation_id: str | None = Query(
        None, max_length=36, description="the counterpart organisation, by its id in the directory"
    ),
    page: PageRequest = Depends(page_request),
    _: Principal = require_scope("visits:read"),
    ctx: ServiceContext = Depends(get_context),
) -> Page[VisitOut]:
    """Visits in registration order, filtered by status, direction, kind, country, the
    period they start in and a lead official."""
    flt = VisitFilter(
        status, direction, kind, country_code, starts_from, starts_to, official,
        responsible_unit_id, organisation_id,
    )  # fmt: skip
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await VisitRepository(session).list(flt, page)
    return Page[VisitOut](items=[_out(v) for v in items], next_cursor=cursor)


@router.get("/{visit_id}", response_model=VisitDetailOut, summary="Read a visit")
async def get_visit(
    visit_id: str,
    _: Principal = require_scope("visits:read"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """The whole visit with its plan; its ETag is the version to send back in If-Match."""
    visit = await load_visit(ctx, visit_id)
    return visit_response(detail_out(visit), visit)


@router.patch("/{visit_id}", response_model=VisitDetailOut, summary="Edit a visit")
async def edit_visit(
    visit_id: str, body: VisitPatch, request: ChangeRequest = change_request("visits:write")
) -> JSONResponse:
    """Changes the fields sent (a JSON merge: null clears an optional field). Dates change
    only while the visit is draft, planned or postponed, and must keep the programme in."""
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    changes = await usecases.named_changes(request.writer, changes)
    visit = await change_visit(request, visit_id, domain.edit_visit, changes)
    return visit_response(detail_out(visit), visit)


@router.post("/{visit_id}/transitions", response_model=VisitOut, summary="Move a visit")
async def transition_visit(
    visit_id: str, body: TransitionRequest, request: ChangeRequest = change_request("visits:write")
) -> JSONResponse:
    """Moves the visit to ``to`` (one of its allowed_transitions). Planning and confirming
    need its dates, confirming its head of delegation; it starts and ends no earlier than
    its start date; a postponed visit is planned again with new dates; cancelling and
    postponing need a reason; reporting needs the outcome. 409 names the transitions
    allowed, 422 the rule that refuses."""
    visit = await change_visit(
        request, visit_id, domain.change_status, body.to, body.reason, today()
    )
    return visit_response(detail_out(visit), visit)
