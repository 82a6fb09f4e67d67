"""HTTP routes for a visit's plan: delegation, programme, logistics, talking points,
bilateral meeting proposals and outcome. Each change answers with the visit's new ETag
and honours ``If-Match`` on the visit."""

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.visits.api.common import change_visit, load_visit, visit_response
from services.visits.domain import visit as domain
from services.visits.domain.delegation import DelegationMember
from services.visits.domain.logistics import Accommodation, TravelSegment
from services.visits.domain.outcome import FollowUp, Outcome
from services.visits.domain.preparation import BilateralProposal, TalkingPoints
from services.visits.domain.programme import ProgrammeItem
from services.visits.domain.visit import Visit
from shared.aggregates import Changed
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import today
from shared.http.conditional import etag
from shared.http.writes import ChangeRequest, change_request
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
WRITE = change_request("visits:write")
Step = Callable[..., Changed[Visit]]
Shown = Callable[[Visit], BaseModel | list[Any] | None]


def _from_body(model: type[M], body: BaseModel, **extra: Any) -> M:
    return model.model_validate({**body.model_dump(), **extra})


def _the_item(attribute: str, item_id: str) -> Shown:
    def shown(visit: Visit) -> BaseModel:
        return _by_id(getattr(visit, attribute), item_id)

    return shown


def _all_items(attribute: str) -> Shown:
    def shown(visit: Visit) -> list[Any]:
        return list(getattr(visit, attribute))

    return shown


def _the_points(points_id: str) -> Shown:
    def shown(visit: Visit) -> BaseModel:
        return _points_out(_by_id(visit.talking_points, points_id))

    return shown


def _the_outcome(visit: Visit) -> BaseModel | None:
    return visit.outcome


async def _apply(
    request: ChangeRequest,
    visit_id: str,
    change: tuple[Step, Any],
    show: Shown,
    status: int = 200,
) -> JSONResponse:
    """``change`` is the domain step and its argument; ``show`` picks what to answer with."""
    step, argument = change
    visit = await change_visit(request, visit_id, step, *argument)
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
    add: Step,
    remove: Step,
    replace: Step | None = None,
    doc: str = "",
) -> None:
    """``GET``/``POST`` on ``/{path}``, ``DELETE`` (and ``PUT``) on ``/{path}/{item_id}``.

    Each change answers with the item (or the remaining list) and the visit's ETag.
    """

    @router.get(f"/{path}", response_model=list[model], summary=f"List {path}")  # type: ignore[valid-type]
    async def list_items(
        visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
    ) -> list[Any]:
        return list(getattr(await load_visit(ctx, visit_id), attribute))

    @router.post(
        f"/{path}", status_code=201, response_model=model, summary=f"Add to {path}", description=doc
    )
    async def add_item(
        visit_id: str,
        body: body_model,  # type: ignore[valid-type]
        request: ChangeRequest = WRITE,
    ) -> JSONResponse:
        item = _from_body(model, body)
        shown = _the_item(attribute, item.id)  # type: ignore[attr-defined]
        return await _apply(request, visit_id, (add, [item]), shown, 201)

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
            request: ChangeRequest = WRITE,
        ) -> JSONResponse:
            item = _from_body(model, body, id=item_id)
            return await _apply(request, visit_id, (replace, [item]), _the_item(attribute, item_id))

    @router.delete(
        f"/{path}/{{item_id}}", response_model=list[model], summary=f"Remove from {path}"
    )  # type: ignore[valid-type]
    async def remove_item(
        visit_id: str,
        item_id: str,
        request: ChangeRequest = WRITE,
    ) -> JSONResponse:
        """Answers with what remains."""
        return await _apply(request, visit_id, (remove, [item_id]), _all_items(attribute))


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
    return [_points_out(p) for p in (await load_visit(ctx, visit_id)).talking_points]


@router.post("/talking-points", status_code=201, response_model=TalkingPointsOut)
async def request_talking_points(
    visit_id: str,
    body: TalkingPointsIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    points = _from_body(TalkingPoints, body)
    change = (domain.request_talking_points, [points])
    return await _apply(request, visit_id, change, _the_points(points.id), 201)


@router.post("/talking-points/{points_id}/transitions", response_model=TalkingPointsOut)
async def move_talking_points(
    visit_id: str,
    points_id: str,
    body: TransitionRequest,
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """``requested → drafted → approved`` (or back to ``requested`` for rework)."""
    change = (domain.move_talking_points, [points_id, body.to])
    return await _apply(request, visit_id, change, _the_points(points_id))


# --- bilateral meeting proposals ---


@router.get("/meeting-proposals", response_model=list[BilateralProposal])
async def list_proposals(
    visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> list[BilateralProposal]:
    return list((await load_visit(ctx, visit_id)).proposals)


@router.post("/meeting-proposals", status_code=201, response_model=BilateralProposal)
async def propose_meeting(
    visit_id: str,
    body: ProposalIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    proposal = _from_body(BilateralProposal, body)
    change = (domain.propose_meeting, [proposal])
    return await _apply(request, visit_id, change, _the_item("proposals", proposal.id), 201)


@router.post("/meeting-proposals/{proposal_id}/transitions", response_model=BilateralProposal)
async def move_proposal(
    visit_id: str,
    proposal_id: str,
    body: TransitionRequest,
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """``proposed → requested → accepted | declined → held``."""
    change = (domain.move_proposal, [proposal_id, body.to])
    return await _apply(request, visit_id, change, _the_item("proposals", proposal_id))


# --- outcome ---


@router.get("/outcome", response_model=Outcome | None)
async def get_outcome(
    visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> Outcome | None:
    return (await load_visit(ctx, visit_id)).outcome


@router.post("/outcome", status_code=201, response_model=Outcome)
async def record_outcome(
    visit_id: str,
    body: OutcomeIn,
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """Recorded once, during or after the visit; each follow-up is published on its own."""
    outcome = Outcome.model_validate(body.model_dump())
    return await _apply(request, visit_id, (domain.record_outcome, [outcome]), _the_outcome, 201)
