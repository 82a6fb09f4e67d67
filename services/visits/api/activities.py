"""HTTP routes for ministerial meetings, international events and business trips."""

from typing import Any

from fastapi import Depends, Query
from fastapi.responses import JSONResponse

from services.visits import tables
from services.visits.domain import meeting
from services.visits.domain.business_trip import BusinessTrip
from services.visits.domain.international_event import InternationalEvent
from services.visits.domain.meeting import Meeting, MeetingOutcome
from services.visits.domain.preparation import TalkingPoints
from services.visits.repository import ActivityFilter, ActivityRepository
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource
from shared.http.writes import ChangeRequest, change_request
from shared.types import CountryCode, Day, TransitionRequest, input_model


def _with_list(resource: LifecycleResource[Any]) -> LifecycleResource[Any]:
    """Meetings, events and trips list by status, official, country and period."""

    @resource.router.get("", response_model=Page[resource.output])  # type: ignore[name-defined]
    async def list_all(
        status: str | None = Query(None, max_length=30),
        official: str | None = Query(None, max_length=200, description="exact name"),
        country: CountryCode | None = None,
        starts_from: Day | None = Query(None, alias="from"),
        starts_to: Day | None = Query(None, alias="to"),
        page: PageRequest = Depends(page_request),
        _: Principal = require_scope("visits:read"),
        ctx: ServiceContext = Depends(get_context),
    ) -> dict[str, Any]:
        flt = ActivityFilter(status, official, country, starts_from, starts_to)
        async with ctx.db.unit_of_work(write=False) as session:
            repo: ActivityRepository[Any] = resource.repo(session)  # type: ignore[assignment]
            items, cursor = await repo.list(flt, page)
        return {"items": [resource.out(a) for a in items], "next_cursor": cursor}

    return resource


def _resource(path: str, noun: str, model: type[Any], table: Any, exclude=()) -> Any:  # type: ignore[no-untyped-def]
    return _with_list(
        LifecycleResource(
            path,
            noun,
            model,
            table,
            scope="visits",
            exclude=exclude,
            repository=ActivityRepository,
        )
    )


meetings = _resource(
    "meetings", "meeting", Meeting, tables.meetings, exclude=("talking_points", "outcome")
)
international_events = _resource(
    "international-events", "international event", InternationalEvent, tables.international_events
)
business_trips = _resource("business-trips", "business trip", BusinessTrip, tables.business_trips)

TalkingPointsIn = input_model(TalkingPoints, exclude=("id", "status", "programme_item_id"))
MeetingOutcomeIn = input_model(MeetingOutcome, exclude=())
WRITE = change_request("visits:write")


@meetings.router.post("/{meeting_id}/talking-points", response_model=meetings.output)
async def request_meeting_talking_points(
    meeting_id: str,
    body: TalkingPointsIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """Ask the owner unit (normally the Policy Department) for talking points."""
    points = TalkingPoints.model_validate(dict(body))
    step = meeting.request_meeting_talking_points
    return meetings.respond(await meetings.change(request, meeting_id, step, points))


@meetings.router.post("/{meeting_id}/talking-points/transitions", response_model=meetings.output)
async def move_meeting_talking_points(
    meeting_id: str,
    body: TransitionRequest,
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """``requested → drafted → approved`` (or back to ``requested`` for rework)."""
    step = meeting.move_meeting_talking_points
    return meetings.respond(await meetings.change(request, meeting_id, step, body.to))


@meetings.router.post("/{meeting_id}/outcome", status_code=201, response_model=meetings.output)
async def record_meeting_outcome(
    meeting_id: str,
    body: MeetingOutcomeIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    outcome = MeetingOutcome.model_validate(dict(body))
    changed = await meetings.change(request, meeting_id, meeting.record_meeting_outcome, outcome)
    return meetings.respond(changed, 201)


routers = [meetings.router, international_events.router, business_trips.router]
