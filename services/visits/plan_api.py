"""HTTP routes for a visit's plan: delegation, programme, logistics, talking points,
bilateral meeting proposals and outcome. Each change answers with the visit's new ETag
and honours ``If-Match`` on the visit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.visits import domain
from services.visits.api import change, visit_response
from services.visits.delegation import DelegationMember
from services.visits.domain import Visit
from services.visits.logistics import Accommodation, TravelSegment
from services.visits.outcome import FollowUp, Outcome
from services.visits.preparation import BilateralProposal, TalkingPoints
from services.visits.programme import ProgrammeItem
from services.visits.repository import VisitRepository
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.types import TransitionRequest, input_model

router = APIRouter(prefix="/v1/visits/{visit_id}", tags=["visit plan"])

MemberIn = input_model(DelegationMember, exclude=("id", "passport_ready", "passport_issue"))
ProgrammeItemIn = input_model(ProgrammeItem)
AccommodationIn = input_model(Accommodation)
TravelSegmentIn = input_model(TravelSegment)
TalkingPointsIn = input_model(TalkingPoints, exclude=("id", "status"))
ProposalIn = input_model(BilateralProposal, exclude=("id", "status"))
FollowUpIn = input_model(FollowUp)


class OutcomeIn(input_model(Outcome, exclude=("follow_ups",))):  # type: ignore[misc]
    follow_ups: list[FollowUpIn] = []  # type: ignore[valid-type]


M = TypeVar("M", bound=BaseModel)
READ = require_scope("visits:read")
WRITE = require_scope("visits:write")


async def _load(ctx: ServiceContext, visit_id: str) -> Visit:
    async with ctx.db.unit_of_work(write=False) as session:
        return await VisitRepository(session).get(visit_id)


def _part(model: type[M], body: BaseModel, **extra: Any) -> M:
    return model.model_validate({**body.model_dump(), **extra})


async def _apply(
    ctx: ServiceContext,
    visit_id: str,
    step: Callable[[Visit], Visit],
    if_match: str | None,
    show: Callable[[Visit], BaseModel | list[Any]],
    status: int = 200,
) -> JSONResponse:
    visit = await change(ctx, visit_id, step, if_match)
    shown = show(visit)
    body = [s.model_dump(mode="json") for s in shown] if isinstance(shown, list) else None
    if body is not None:
        return JSONResponse(body, status_code=status, headers={"ETag": f'"{visit.version}"'})
    return visit_response(shown, visit, status)


def _by_id(items: tuple[M, ...], item_id: str) -> M:
    return next(i for i in items if getattr(i, "id", None) == item_id)


# --- delegation ---


@router.get("/delegation", response_model=list[DelegationMember])
async def list_delegation(
    visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> list[DelegationMember]:
    """Members in order of precedence."""
    return list((await _load(ctx, visit_id)).delegation)


@router.post("/delegation", status_code=201, response_model=DelegationMember)
async def add_member(
    visit_id: str,
    body: MemberIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    member = _part(DelegationMember, body)
    return await _apply(
        ctx, visit_id, lambda v: domain.add_member(v, member), if_match,
        lambda v: _by_id(v.delegation, member.id), 201,
    )  # fmt: skip


@router.put("/delegation/{member_id}", response_model=DelegationMember)
async def change_member(
    visit_id: str,
    member_id: str,
    body: MemberIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    member = _part(DelegationMember, body, id=member_id)
    return await _apply(
        ctx, visit_id, lambda v: domain.change_member(v, member), if_match,
        lambda v: _by_id(v.delegation, member_id),
    )  # fmt: skip


@router.delete("/delegation/{member_id}", response_model=list[DelegationMember])
async def remove_member(
    visit_id: str,
    member_id: str,
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """Answers with the remaining delegation."""
    return await _apply(
        ctx, visit_id, lambda v: domain.remove_member(v, member_id), if_match,
        lambda v: list(v.delegation),
    )  # fmt: skip


# --- programme ---


@router.get("/programme", response_model=list[ProgrammeItem])
async def list_programme(
    visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> list[ProgrammeItem]:
    """Items in time order."""
    return list((await _load(ctx, visit_id)).programme)


@router.post("/programme", status_code=201, response_model=ProgrammeItem)
async def schedule_item(
    visit_id: str,
    body: ProgrammeItemIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """Refused (422) when it falls outside the visit or clashes on a person or a venue."""
    item = _part(ProgrammeItem, body)
    return await _apply(
        ctx, visit_id, lambda v: domain.schedule_item(v, item), if_match,
        lambda v: _by_id(v.programme, item.id), 201,
    )  # fmt: skip


@router.put("/programme/{item_id}", response_model=ProgrammeItem)
async def reschedule_item(
    visit_id: str,
    item_id: str,
    body: ProgrammeItemIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    item = _part(ProgrammeItem, body, id=item_id)
    return await _apply(
        ctx, visit_id, lambda v: domain.reschedule_item(v, item), if_match,
        lambda v: _by_id(v.programme, item_id),
    )  # fmt: skip


@router.delete("/programme/{item_id}", response_model=list[ProgrammeItem])
async def remove_item(
    visit_id: str,
    item_id: str,
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    return await _apply(
        ctx, visit_id, lambda v: domain.remove_item(v, item_id), if_match,
        lambda v: list(v.programme),
    )  # fmt: skip


# --- logistics ---


@router.post("/accommodations", status_code=201, response_model=Accommodation)
async def book_accommodation(
    visit_id: str,
    body: AccommodationIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    stay = _part(Accommodation, body)
    return await _apply(
        ctx, visit_id, lambda v: domain.book_accommodation(v, stay), if_match,
        lambda v: _by_id(v.accommodations, stay.id), 201,
    )  # fmt: skip


@router.delete("/accommodations/{stay_id}", response_model=list[Accommodation])
async def cancel_accommodation(
    visit_id: str,
    stay_id: str,
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    return await _apply(
        ctx, visit_id, lambda v: domain.cancel_accommodation(v, stay_id), if_match,
        lambda v: list(v.accommodations),
    )  # fmt: skip


@router.post("/travel", status_code=201, response_model=TravelSegment)
async def book_travel(
    visit_id: str,
    body: TravelSegmentIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    segment = _part(TravelSegment, body)
    return await _apply(
        ctx, visit_id, lambda v: domain.book_travel(v, segment), if_match,
        lambda v: _by_id(v.travel, segment.id), 201,
    )  # fmt: skip


@router.delete("/travel/{segment_id}", response_model=list[TravelSegment])
async def cancel_travel(
    visit_id: str,
    segment_id: str,
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    return await _apply(
        ctx, visit_id, lambda v: domain.cancel_travel(v, segment_id), if_match,
        lambda v: list(v.travel),
    )  # fmt: skip


# --- talking points ---


class TalkingPointsOut(BaseModel):
    id: str
    programme_item_id: str | None
    subject: str
    owner_unit: str
    due_date: date
    status: str
    overdue: bool = Field(description="not approved and past its due date")


def _points_out(points: TalkingPoints) -> TalkingPointsOut:
    from services.visits.api import today

    return TalkingPointsOut(**points.model_dump(), overdue=points.overdue(today()))


@router.get("/talking-points", response_model=list[TalkingPointsOut])
async def list_talking_points(
    visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> list[TalkingPointsOut]:
    return [_points_out(p) for p in (await _load(ctx, visit_id)).talking_points]


@router.post("/talking-points", status_code=201, response_model=TalkingPointsOut)
async def request_talking_points(
    visit_id: str,
    body: TalkingPointsIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    points = _part(TalkingPoints, body)
    return await _apply(
        ctx, visit_id, lambda v: domain.request_talking_points(v, points), if_match,
        lambda v: _points_out(_by_id(v.talking_points, points.id)), 201,
    )  # fmt: skip


@router.post("/talking-points/{points_id}/transitions", response_model=TalkingPointsOut)
async def move_talking_points(
    visit_id: str,
    points_id: str,
    body: TransitionRequest,
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """``requested → drafted → approved`` (or back to ``requested`` for rework)."""
    return await _apply(
        ctx, visit_id, lambda v: domain.move_talking_points(v, points_id, body.to), if_match,
        lambda v: _points_out(_by_id(v.talking_points, points_id)),
    )  # fmt: skip


# --- bilateral meeting proposals ---


@router.get("/meeting-proposals", response_model=list[BilateralProposal])
async def list_proposals(
    visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> list[BilateralProposal]:
    return list((await _load(ctx, visit_id)).proposals)


@router.post("/meeting-proposals", status_code=201, response_model=BilateralProposal)
async def propose_meeting(
    visit_id: str,
    body: ProposalIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    proposal = _part(BilateralProposal, body)
    return await _apply(
        ctx, visit_id, lambda v: domain.propose_meeting(v, proposal), if_match,
        lambda v: _by_id(v.proposals, proposal.id), 201,
    )  # fmt: skip


@router.post("/meeting-proposals/{proposal_id}/transitions", response_model=BilateralProposal)
async def move_proposal(
    visit_id: str,
    proposal_id: str,
    body: TransitionRequest,
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """``proposed → requested → accepted | declined → held``."""
    return await _apply(
        ctx, visit_id, lambda v: domain.move_proposal(v, proposal_id, body.to), if_match,
        lambda v: _by_id(v.proposals, proposal_id),
    )  # fmt: skip


# --- outcome ---


@router.get("/outcome", response_model=Outcome | None)
async def get_outcome(
    visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> Outcome | None:
    return (await _load(ctx, visit_id)).outcome


@router.post("/outcome", status_code=201, response_model=Outcome)
async def record_outcome(
    visit_id: str,
    body: OutcomeIn,
    if_match: str | None = Header(None),
    _: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """Recorded once, during or after the visit; each follow-up is published on its own."""
    outcome = Outcome.model_validate(body.model_dump())
    return await _apply(
        ctx, visit_id, lambda v: domain.record_outcome(v, outcome), if_match,
        lambda v: v.outcome, 201,
    )  # fmt: skip
