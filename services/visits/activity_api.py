"""HTTP routes for ministerial meetings, international events and business trips.

The three share one shape (create, list, read, transitions), built once here.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from services.visits import activities, tables
from services.visits.activities import Activity, BusinessTrip, InternationalEvent, Meeting
from services.visits.activity_repository import ActivityFilter, ActivityRepository
from services.visits.api import today
from services.visits.preparation import TalkingPoints
from shared import aggregates
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.contracts.base import EventData
from shared.errors import check_expected_version
from shared.http.conditional import etag, expected_version
from shared.http.idempotency import created
from shared.http.pagination import Page, PageRequest, page_request
from shared.types import CountryCode, TransitionRequest, input_model

SERVICE_SET = ("id", "status", "status_reason", "version", "created_at", "updated_at")
Step = Callable[[Any], tuple[Any, list[EventData]]]


def _output_model(model: type[Activity]) -> type[BaseModel]:
    class Out(model):  # type: ignore[valid-type, misc]
        allowed_transitions: list[str] = Field(description="where the lifecycle may go next")

    Out.__name__ = f"{model.__name__}Out"
    return Out


class ActivityResource:
    """One kind of activity exposed at ``/v1/<path>``."""

    def __init__(
        self, path: str, noun: str, model: type[Activity], table: Table, exclude: tuple[str, ...]
    ) -> None:
        self.path = path
        self.noun = noun
        self.model = model
        self.table = table
        self.input = input_model(model, exclude=SERVICE_SET + exclude)
        self.output = _output_model(model)
        self.router = APIRouter(prefix=f"/v1/{path}", tags=[path])
        self._routes()

    def repo(self, session: AsyncSession) -> ActivityRepository[Any]:
        return ActivityRepository(session, self.table, self.model, self.noun)

    def out(self, activity: Activity) -> BaseModel:
        allowed = sorted(activity.lifecycle.allowed_from(activity.status))
        return self.output(**dict(activity), allowed_transitions=allowed)

    def respond(self, activity: Activity, status: int = 200) -> JSONResponse:
        return JSONResponse(
            self.out(activity).model_dump(mode="json"),
            status_code=status,
            headers={"ETag": etag(activity.version)},
        )

    async def change(
        self, ctx: ServiceContext, activity_id: str, step: Step, if_match: str | None
    ) -> Activity:
        """One domain step in one transaction, with its events, honouring ``If-Match``."""
        assert ctx.outbox is not None
        async with ctx.db.unit_of_work() as session:
            repo = self.repo(session)
            current = await repo.get(activity_id)
            check_expected_version(current.version, expected_version(if_match))
            changed, events = step(current)
            saved = await repo.save(changed, previous_version=current.version)
            await ctx.outbox.add_all(
                session, events, aggregate_id=saved.id, last_version=saved.version
            )
        return saved

    def _routes(self) -> None:
        resource, Input = self, self.input

        @self.router.post("", status_code=201, response_model=self.output)
        async def create(
            body: Input,  # type: ignore[valid-type]
            principal: Principal = require_scope("visits:write"),
            idempotency_key: str | None = Header(None),
            ctx: ServiceContext = Depends(get_context),
        ) -> JSONResponse:
            async def make(session: AsyncSession) -> tuple[dict[str, Any], dict[str, str]]:
                activity, events = aggregates.create(resource.model.model_validate(dict(body)))
                activity = await resource.repo(session).add(activity)
                assert ctx.outbox is not None
                await ctx.outbox.add_all(
                    session, events, aggregate_id=activity.id, last_version=activity.version
                )
                location = f"/v1/{resource.path}/{activity.id}"
                return created(resource.out(activity), location, activity.version)

            assert ctx.idempotency is not None
            return await ctx.idempotency.create(
                principal=principal,
                key=idempotency_key,
                endpoint=f"POST /v1/{resource.path}",
                body=body,
                create=make,
            )

        @self.router.get("", response_model=Page[self.output])  # type: ignore[name-defined]
        async def list_all(
            status: str | None = Query(None, max_length=30),
            official: str | None = Query(None, max_length=200, description="exact name"),
            country: CountryCode | None = None,
            starts_from: date | None = Query(None, alias="from"),
            starts_to: date | None = Query(None, alias="to"),
            page: PageRequest = Depends(page_request),
            _: Principal = require_scope("visits:read"),
            ctx: ServiceContext = Depends(get_context),
        ) -> dict[str, Any]:
            flt = ActivityFilter(status, official, country, starts_from, starts_to)
            async with ctx.db.unit_of_work(write=False) as session:
                items, cursor = await resource.repo(session).list(flt, page)
            return {"items": [resource.out(a) for a in items], "next_cursor": cursor}

        @self.router.get("/{activity_id}", response_model=self.output)
        async def read(
            activity_id: str,
            _: Principal = require_scope("visits:read"),
            ctx: ServiceContext = Depends(get_context),
        ) -> JSONResponse:
            async with ctx.db.unit_of_work(write=False) as session:
                return resource.respond(await resource.repo(session).get(activity_id))

        @self.router.post("/{activity_id}/transitions", response_model=self.output)
        async def move(
            activity_id: str,
            body: TransitionRequest,
            if_match: str | None = Header(None),
            _: Principal = require_scope("visits:write"),
            ctx: ServiceContext = Depends(get_context),
        ) -> JSONResponse:
            step = lambda a: aggregates.transition(a, body.to, body.reason, today())  # noqa: E731
            return resource.respond(await resource.change(ctx, activity_id, step, if_match))


meetings = ActivityResource(
    "meetings", "meeting", Meeting, tables.meetings, exclude=("talking_points", "outcome")
)
international_events = ActivityResource(
    "international-events", "international event", InternationalEvent,
    tables.international_events, exclude=(),
)  # fmt: skip
business_trips = ActivityResource(
    "business-trips", "business trip", BusinessTrip, tables.business_trips, exclude=()
)

TalkingPointsIn = input_model(TalkingPoints, exclude=("id", "status", "programme_item_id"))
MeetingOutcomeIn = input_model(activities.MeetingOutcome, exclude=())


@meetings.router.post("/{activity_id}/talking-points", response_model=meetings.output)
async def request_meeting_talking_points(
    activity_id: str,
    body: TalkingPointsIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = require_scope("visits:write"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """Ask the owner unit (normally the Policy Department) for talking points."""
    points = TalkingPoints.model_validate(dict(body))
    step = lambda m: activities.request_meeting_talking_points(m, points)  # noqa: E731
    return meetings.respond(await meetings.change(ctx, activity_id, step, if_match))


@meetings.router.post("/{activity_id}/talking-points/transitions", response_model=meetings.output)
async def move_meeting_talking_points(
    activity_id: str,
    body: TransitionRequest,
    if_match: str | None = Header(None),
    _: Principal = require_scope("visits:write"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """``requested → drafted → approved`` (or back to ``requested`` for rework)."""
    step = lambda m: activities.move_meeting_talking_points(m, body.to)  # noqa: E731
    return meetings.respond(await meetings.change(ctx, activity_id, step, if_match))


@meetings.router.post("/{activity_id}/outcome", status_code=201, response_model=meetings.output)
async def record_meeting_outcome(
    activity_id: str,
    body: MeetingOutcomeIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = require_scope("visits:write"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    outcome = activities.MeetingOutcome.model_validate(dict(body))
    step = lambda m: activities.record_meeting_outcome(m, outcome)  # noqa: E731
    return meetings.respond(await meetings.change(ctx, activity_id, step, if_match), 201)


routers = [meetings.router, international_events.router, business_trips.router]
