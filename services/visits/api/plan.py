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
from shared.http.examples import EXAMPLE_ID, examples, with_examples
from shared.http.writes import ChangeRequest, change_request
from shared.types import Day, TransitionRequest, input_model

router = APIRouter(prefix="/v1/visits/{visit_id}", tags=["visit plan"])

MEMBER = {
    "name_ka": None,
    "name_latin": "Élisabeth Martin",
    "position": "Minister of National Education",
    "organisation": "Government of France",
    "role": "head",
    "precedence": 1,
    "visa": None,
    "passport_holder_id": None,
    "passport_type": "diplomatic",
}
PROGRAMME_ITEM = {
    "item_type": "meeting",
    "title": "Meeting with the Minister",
    "starts_at": "2027-03-15T10:00:00",
    "ends_at": "2027-03-15T11:30:00",
    "venue": "Ministry, Hall 1",
    "participants": ["Minister", "Élisabeth Martin"],
    "interpreter_needed": True,
    "notes": "French-Georgian interpretation",
}
STAY = {
    "hotel": "Courtyard Tbilisi",
    "city": "Tbilisi",
    "check_in": "2027-03-15",
    "check_out": "2027-03-17",
    "rooms": 6,
    "confirmed": False,
}
JOURNEY = {
    "mode": "air",
    "carrier": "Air France",
    "number": "AF 1234",
    "origin": "Paris CDG",
    "destination": "Tbilisi TBS",
    "departs_at": "2027-03-14T22:40:00+01:00",
    "arrives_at": "2027-03-15T05:30:00+04:00",
}
POINTS = {
    "programme_item_id": None,
    "subject": "Teacher training cooperation",
    "owner_unit": "Policy Department",
    "due_date": "2027-03-08",
}
PROPOSAL = {
    "counterpart": "Rector of Sorbonne University",
    "counterpart_country": "FR",
    "topics": ["joint degrees"],
    "proposed_by_units": ["Higher Education Department"],
}
FOLLOW_UP = {
    "text": {"ka": "", "en": "Draft a memorandum on teacher training"},
    "responsible_unit": "International Relations and Protocol Department",
    "deadline": "2027-06-30",
}
OUTCOME = {"summary": {"ka": "", "en": "Agreed to prepare a memorandum."}, "follow_ups": []}
NEW = {"id": EXAMPLE_ID}

MemberIn = with_examples(
    input_model(DelegationMember, exclude=("id", "passport_ready", "passport_issue")), MEMBER
)
ProgrammeItemIn = with_examples(input_model(ProgrammeItem), PROGRAMME_ITEM)
AccommodationIn = with_examples(input_model(Accommodation), STAY)
TravelSegmentIn = with_examples(input_model(TravelSegment), JOURNEY)
TalkingPointsIn = with_examples(input_model(TalkingPoints, exclude=("id", "status")), POINTS)
ProposalIn = with_examples(input_model(BilateralProposal, exclude=("id", "status")), PROPOSAL)
FollowUpIn = with_examples(input_model(FollowUp), FOLLOW_UP)
with_examples(
    DelegationMember,
    {**MEMBER, **NEW, "passport_ready": None, "passport_issue": None},
)
with_examples(ProgrammeItem, {**PROGRAMME_ITEM, **NEW})
with_examples(Accommodation, {**STAY, **NEW})
with_examples(TravelSegment, {**JOURNEY, **NEW})
with_examples(BilateralProposal, {**PROPOSAL, **NEW, "status": "proposed"})
with_examples(FollowUp, {**FOLLOW_UP, **NEW})
with_examples(Outcome, {**OUTCOME, "follow_ups": [{**FOLLOW_UP, **NEW}]})


class OutcomeIn(input_model(Outcome, exclude=("follow_ups",))):  # type: ignore[misc]
    """What a visit achieved, with the commitments made."""

    model_config = examples({**OUTCOME, "follow_ups": [FOLLOW_UP]})

    follow_ups: list[FollowUpIn] = Field([], description="the commitments made")  # type: ignore[valid-type]


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


def _the_follow_up(follow_up_id: str) -> Shown:
    def shown(visit: Visit) -> BaseModel:
        return _by_id(visit.outcome.follow_ups if visit.outcome else (), follow_up_id)

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
    noun: str,
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

    name = noun.replace(" ", "_")

    @router.get(
        f"/{path}",
        response_model=list[model],  # type: ignore[valid-type]
        name=f"list_{path}",
        summary=f"List the visit's {path}",
        description=f"The visit's {path}. {doc}",
    )
    async def list_items(
        visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
    ) -> list[Any]:
        return list(getattr(await load_visit(ctx, visit_id), attribute))

    @router.post(
        f"/{path}",
        status_code=201,
        response_model=model,
        name=f"add_{name}",
        summary=f"Add a {noun}",
        description=f"Adds a {noun} to the visit's {path}. {doc}",
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
            name=f"replace_{name}",
            summary=f"Replace a {noun}",
            description=f"Replaces the {noun} as a whole. {doc}",
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
        f"/{path}/{{item_id}}",
        response_model=list[model],  # type: ignore[valid-type]
        name=f"remove_{name}",
        summary=f"Remove a {noun}",
        description=f"Removes the {noun}; answers with what remains of the visit's {path}.",
    )
    async def remove_item(
        visit_id: str,
        item_id: str,
        request: ChangeRequest = WRITE,
    ) -> JSONResponse:
        return await _apply(request, visit_id, (remove, [item_id]), _all_items(attribute))


_collection(
    "delegation", "delegation member", DelegationMember, MemberIn, "delegation",
    domain.add_member, domain.remove_member, domain.change_member,
    doc="Members in order of precedence; visas and passport links for outgoing visits.",
)  # fmt: skip
_collection(
    "programme", "programme item", ProgrammeItem, ProgrammeItemIn, "programme",
    domain.schedule_item, domain.remove_item, domain.reschedule_item,
    doc="Refused (422) when it falls outside the visit or clashes on a person or a venue.",
)  # fmt: skip
_collection(
    "accommodations", "hotel booking", Accommodation, AccommodationIn, "accommodations",
    domain.book_accommodation, domain.cancel_accommodation,
    doc="Check-out comes after check-in.",
)  # fmt: skip
_collection(
    "travel", "travel segment", TravelSegment, TravelSegmentIn, "travel",
    domain.book_travel, domain.cancel_travel, doc="A journey arrives after it departs.",
)  # fmt: skip


# --- talking points ---


class TalkingPointsOut(BaseModel):
    """Talking points, with whether they are late."""

    model_config = examples({**POINTS, **NEW, "status": "requested", "overdue": False})

    id: str = Field(description="the request's id")
    programme_item_id: str | None = Field(description="the programme item (meeting) they are for")
    subject: str = Field(description="what they are to cover")
    owner_unit: str = Field(description="the unit that writes them")
    due_date: Day = Field(description="when they are needed")
    status: str = Field(description="requested, drafted or approved")
    overdue: bool = Field(description="not approved and past its due date")


def _points_out(points: TalkingPoints) -> TalkingPointsOut:
    return TalkingPointsOut(**points.model_dump(), overdue=points.overdue(today()))


@router.get("/talking-points", response_model=list[TalkingPointsOut], summary="List talking points")
async def list_talking_points(
    visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> list[TalkingPointsOut]:
    """The talking points asked for the visit, with whether each is late."""
    return [_points_out(p) for p in (await load_visit(ctx, visit_id)).talking_points]


@router.post(
    "/talking-points",
    status_code=201,
    response_model=TalkingPointsOut,
    summary="Ask for talking points",
)
async def request_talking_points(
    visit_id: str,
    body: TalkingPointsIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """Asks the owner unit (normally the Policy Department) for talking points by the due
    date, for the whole visit or one programme item."""
    points = _from_body(TalkingPoints, body)
    change = (domain.request_talking_points, [points])
    return await _apply(request, visit_id, change, _the_points(points.id), 201)


@router.post(
    "/talking-points/{points_id}/transitions",
    response_model=TalkingPointsOut,
    summary="Move talking points",
)
async def transition_talking_points(
    visit_id: str,
    points_id: str,
    body: TransitionRequest,
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """``requested → drafted → approved`` (or back to ``requested`` for rework)."""
    change = (domain.move_talking_points, [points_id, body.to])
    return await _apply(request, visit_id, change, _the_points(points_id))


# --- bilateral meeting proposals ---


@router.get(
    "/meeting-proposals",
    response_model=list[BilateralProposal],
    summary="List bilateral meeting proposals",
)
async def list_meeting_proposals(
    visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> list[BilateralProposal]:
    """The bilateral meetings proposed for the visit."""
    return list((await load_visit(ctx, visit_id)).proposals)


@router.post(
    "/meeting-proposals",
    status_code=201,
    response_model=BilateralProposal,
    summary="Propose a bilateral meeting",
)
async def propose_meeting(
    visit_id: str,
    body: ProposalIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """A meeting the units would like during the visit (status proposed)."""
    proposal = _from_body(BilateralProposal, body)
    change = (domain.propose_meeting, [proposal])
    return await _apply(request, visit_id, change, _the_item("proposals", proposal.id), 201)


@router.post(
    "/meeting-proposals/{proposal_id}/transitions",
    response_model=BilateralProposal,
    summary="Move a meeting proposal",
)
async def transition_meeting_proposal(
    visit_id: str,
    proposal_id: str,
    body: TransitionRequest,
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """``proposed → requested → accepted | declined → held``."""
    change = (domain.move_proposal, [proposal_id, body.to])
    return await _apply(request, visit_id, change, _the_item("proposals", proposal_id))


# --- outcome ---


@router.get("/outcome", response_model=Outcome | None, summary="Read the outcome")
async def get_outcome(
    visit_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> Outcome | None:
    """The visit's outcome; null until it is recorded."""
    return (await load_visit(ctx, visit_id)).outcome


@router.post(
    "/outcome/follow-ups",
    status_code=201,
    response_model=FollowUp,
    summary="Add a later commitment",
)
async def add_follow_up(
    visit_id: str,
    body: FollowUpIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """A commitment made after the outcome was recorded; published like the others
    (FollowUpCommitted), so the agreements service makes it an obligation too. 409 before
    the outcome is recorded."""
    follow_up = _from_body(FollowUp, body)
    shown = _the_follow_up(follow_up.id)
    return await _apply(request, visit_id, (domain.add_follow_up, [follow_up]), shown, 201)


@router.post("/outcome", status_code=201, response_model=Outcome, summary="Record the outcome")
async def record_outcome(
    visit_id: str,
    body: OutcomeIn,
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """Recorded once, during or after the visit; each follow-up is published on its own."""
    outcome = Outcome.model_validate(body.model_dump())
    return await _apply(request, visit_id, (domain.record_outcome, [outcome]), _the_outcome, 201)
