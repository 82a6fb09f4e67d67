"""HTTP routes for a visit's plan: delegation, programme, logistics, talking points,
bilateral meeting proposals and outcome. Each change answers with the visit's new ETag
and honours ``If-Match`` on the visit."""

from collections.abc import Callable
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
from shared.http.conditional import etag
from shared.http.resource import today
from shared.types import Day, TransitionRequest, input_model

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
        return JSONResponse(body, status_code=status, headers={"ETag": etag(visit.version)})
    return visit_response(shown, visit, status)


def _by_id(items: tuple[M, ...], item_id: str) -> M:
    return next(i for i in items if getattr(i, "id", None) == item_id)


def _collection(
    path: str,
    model: type[M],
    body_model: type[BaseModel],
    attribute: str,
    add: Callable[[Visit, Any], Visit],
    remove: Callable[[Visit, str], Visit],
    replace: Callable[[Visit, Any], Visit] | None = None,
    doc: str = "",
) -> None:
    """``GET``/``POST`` on ``/{path}``, ``DELETE`` (and ``PUT``) on ``/{path}/{item_id}``.

    Each change answers with the item (or the remaining list) and the visit's ETag.
    """

    @router.get(f"/{path}", response_model=list[model], summary=f"List {path}")  # type: ignore[valid-type]
    async def list_items(
        visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
    ) -> list[Any]:
        return list(getattr(await _load(ctx, visit_id), attribute))

    @router.post(
        f"/{path}", status_code=201, response_model=model, summary=f"Add to {path}", description=doc
    )
    async def add_item(
        visit_id: str,
        body: body_model,  # type: ignore[valid-type]
        if_match: str | None = Header(None),
        _: Principal = WRITE,
        ctx: ServiceContext = Depends(get_context),
    ) -> JSONResponse:
        item = _part(model, body)
        return await _apply(
            ctx, visit_id, lambda v: add(v, item), if_match,
            lambda v: _by_id(getattr(v, attribute), item.id), 201,  # type: ignore[attr-defined]
        )  # fmt: skip

    if replace is not None:

        @router.put(
            f"/{path}/{{item_id}}",
            response_model=model,
            summary=f"Change in {path}",
            description=doc,
        )
        async def replace_item(
            visit_id: str,
            item_id: str,
            body: body_model,  # type: ignore[valid-type]
            if_match: str | None = Header(None),
            _: Principal = WRITE,
            ctx: ServiceContext = Depends(get_context),
        ) -> JSONResponse:
            item = _part(model, body, id=item_id)
            return await _apply(
                ctx, visit_id, lambda v: replace(v, item), if_match,
                lambda v: _by_id(getattr(v, attribute), item_id),
            )  # fmt: skip

    @router.delete(
        f"/{path}/{{item_id}}", response_model=list[model], summary=f"Remove from {path}"
    )  # type: ignore[valid-type]
    async def remove_item(
        visit_id: str,
        item_id: str,
        if_match: str | None = Header(None),
        _: Principal = WRITE,
        ctx: ServiceContext = Depends(get_context),
    ) -> JSONResponse:
        """Answers with what remains."""
        return await _apply(
            ctx, visit_id, lambda v: remove(v, item_id), if_match,
            lambda v: list(getattr(v, attribute)),
        )  # fmt: skip


_collection(
    "delegation", DelegationMember, MemberIn, "delegation",
    domain.add_member, domain.remove_member, domain.change_member,
    doc="Members in order of precedence; visas and passport links for outgoing visits.",
)  # fmt: skip
_collection(
    "programme", ProgrammeItem, ProgrammeItemIn, "programme",
    domain.schedule_item, domain.remove_item, domain.reschedule_item,
    doc="Refused (422) when it falls outside the visit or clashes on a person or a venue.",
)  # fmt: skip
_collection(
    "accommodations", Accommodation, AccommodationIn, "accommodations",
    domain.book_accommodation, domain.cancel_accommodation,
)  # fmt: skip
_collection(
    "travel", TravelSegment, TravelSegmentIn, "travel", domain.book_travel, domain.cancel_travel
)


# --- talking points ---


class TalkingPointsOut(BaseModel):
    id: str
    programme_item_id: str | None
    subject: str
    owner_unit: str
    due_date: Day
    status: str
    overdue: bool = Field(description="not approved and past its due date")


def _points_out(points: TalkingPoints) -> TalkingPointsOut:
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
