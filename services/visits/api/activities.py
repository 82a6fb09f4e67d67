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
from shared.http.examples import with_examples
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource
from shared.http.writes import ChangeRequest, change_request
from shared.types import CountryCode, Day, TransitionRequest, input_model


def _with_list(resource: LifecycleResource[Any]) -> LifecycleResource[Any]:
    """Meetings, events and trips list by status, official, country and period."""

    plural = resource.path.replace("-", " ")

    @resource.router.get(
        "",
        response_model=Page[resource.output],  # type: ignore[name-defined]
        name=f"list_{resource.path.replace('-', '_')}",
        summary=f"List {plural}",
        description=f"The {plural} in registration order, filtered by status, official, "
        "country and the period they start in.",
    )
    async def list_all(
        status: str | None = Query(None, max_length=30, description="only in this status"),
        official: str | None = Query(
            None, max_length=200, description="only those of this official (exact name)"
        ),
        country: CountryCode | None = Query(None, description="only in or with this country"),
        starts_from: Day | None = Query(None, alias="from", description="starting on or after"),
        starts_to: Day | None = Query(None, alias="to", description="starting on or before"),
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


def _resource(
    path: str, noun: str, model: type[Any], table: Any, example: dict[str, Any], exclude=()
) -> Any:  # type: ignore[no-untyped-def]
    return _with_list(
        LifecycleResource(
            path,
            noun,
            model,
            table,
            scope="visits",
            exclude=exclude,
            repository=ActivityRepository,
            directory=tables.directory,
            example=example,
        )
    )


MEETING = {
    "official_level": "deputy_minister",
    "official_name": "Deputy Minister Giorgi Kapanadze",
    "counterpart_type": "ambassador",
    "counterpart": "Ambassador of Japan",
    "counterpart_country": "JP",
    "organisation": None,
    "starts_at": "2027-02-10T11:00:00",
    "ends_at": "2027-02-10T12:00:00",
    "venue": "Ministry, Room 305",
    "topics": ["scholarships", "school exchanges"],
}
EVENT = {
    "event_kind": "conference",
    "title": {"ka": "", "en": "Regional conference on inclusive education"},
    "start_date": "2027-05-20",
    "end_date": "2027-05-21",
    "venue": "Biltmore Hotel",
    "city": "Tbilisi",
    "country_code": "GE",
    "partners": ["UNICEF"],
    "donors": ["European Union"],
    "participants": 150,
    "responsible_unit": "International Relations and Protocol Department",
}
TRIP = {
    "traveller": "Nino Beridze",
    "unit": "International Relations and Protocol Department",
    "destination_country": "BE",
    "destination_city": "Brussels",
    "purpose": {"ka": "", "en": "Association Council preparatory meeting"},
    "start_date": "2027-04-12",
    "end_date": "2027-04-14",
    "funding": "ministry",
    "funder": None,
    "estimated_cost": "2400.00",
    "currency": "EUR",
}
meetings = _resource(
    "meetings", "meeting", Meeting, tables.meetings, MEETING, exclude=("talking_points", "outcome")
)
international_events = _resource(
    "international-events", "international event", InternationalEvent,
    tables.international_events, EVENT,
)  # fmt: skip
business_trips = _resource(
    "business-trips", "business trip", BusinessTrip, tables.business_trips, TRIP
)

TalkingPointsIn = with_examples(
    input_model(
        TalkingPoints,
        exclude=("id", "status", "programme_item_id"),
        name="MeetingTalkingPointsIn",
    ),
    {"subject": "Scholarships for Georgian students", "owner_unit": "Policy Department",
     "due_date": "2027-02-05"},
)  # fmt: skip
MeetingOutcomeIn = with_examples(
    input_model(MeetingOutcome, exclude=()),
    {"summary": {"ka": "", "en": "Two more scholarships agreed."}, "agreed_actions": []},
)
WRITE = change_request("visits:write")


@meetings.router.post(
    "/{meeting_id}/talking-points", response_model=meetings.output, summary="Ask for talking points"
)
async def request_meeting_talking_points(
    meeting_id: str,
    body: TalkingPointsIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """Ask the owner unit (normally the Policy Department) for talking points."""
    points = TalkingPoints.model_validate(dict(body))
    step = meeting.request_meeting_talking_points
    return meetings.respond(await meetings.change(request, meeting_id, step, points))


@meetings.router.post(
    "/{meeting_id}/talking-points/transitions",
    response_model=meetings.output,
    summary="Move the talking points",
)
async def transition_meeting_talking_points(
    meeting_id: str,
    body: TransitionRequest,
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """``requested → drafted → approved`` (or back to ``requested`` for rework)."""
    step = meeting.move_meeting_talking_points
    return meetings.respond(await meetings.change(request, meeting_id, step, body.to))


@meetings.router.post(
    "/{meeting_id}/outcome",
    status_code=201,
    response_model=meetings.output,
    summary="Record the outcome",
)
async def record_meeting_outcome(
    meeting_id: str,
    body: MeetingOutcomeIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """What the meeting achieved, recorded once it is held."""
    outcome = MeetingOutcome.model_validate(dict(body))
    changed = await meetings.change(request, meeting_id, meeting.record_meeting_outcome, outcome)
    return meetings.respond(changed, 201)


routers = [meetings.router, international_events.router, business_trips.router]
