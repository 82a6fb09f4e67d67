"""``GET /v1/calendar.ics``: the feed the Minister's office subscribes to."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from services.visits import calendar_keys, tables
from services.visits.api.ical import Lang, build_calendar
from services.visits.domain.business_trip import BusinessTrip
from services.visits.domain.international_event import InternationalEvent
from services.visits.domain.meeting import Meeting
from services.visits.repository import ActivityRepository, VisitRepository
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import today
from shared.errors import NotFound, RuleViolation
from shared.types import Day

router = APIRouter(prefix="/v1", tags=["calendar"])
keyed = APIRouter(tags=["calendar"])  # outside /v1: a key, not a bearer token

MAX_DAYS = 800


FEED = {200: {"content": {"text/calendar": {}}, "description": "RFC 5545 iCalendar"}}
FIRST = Query(None, alias="from", description="default: 30 days ago")
LAST = Query(None, alias="to", description="default: a year ahead")
LANG = Query("en", description="the language of titles and names")


@router.get("/calendar.ics", response_class=Response, responses=FEED)
async def calendar_feed(
    official: str | None = Query(
        None,
        max_length=200,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description="only what this official leads or attends (a name: no control characters)",
    ),
    first: Day | None = FIRST,
    last: Day | None = LAST,
    lang: Literal["en", "ka"] = LANG,
    _: Principal = require_scope("visits:read", token_in_query=True),
    ctx: ServiceContext = Depends(get_context),
) -> Response:
    """Visits, their programme items, ministerial meetings, international events and
    business trips; times in the office's zone (``IRP_OFFICE_TIMEZONE``) with its
    ``VTIMEZONE``.

    Calendar clients that cannot send headers may pass the token as ``access_token``; for
    a subscription that outlives a token, see ``/calendar/{key}.ics``.
    """
    return await _feed(ctx, first, last, official, lang)


@keyed.get("/calendar/{key}.ics", response_class=Response, responses=FEED)
async def calendar_by_key(
    key: str = Path(max_length=100, description="a personal calendar key (irp calendar-key)"),
    first: Day | None = FIRST,
    last: Day | None = LAST,
    lang: Literal["en", "ka"] = LANG,
    ctx: ServiceContext = Depends(get_context),
) -> Response:
    """The same feed at a personal address a calendar client keeps: the key reads the
    calendar and nothing else, is limited to its official when it names one, and works
    until it is revoked (``irp calendar-key revoke``). An unknown or revoked key: 404."""
    found = await calendar_keys.used(ctx.db, key)
    if found is None:
        raise NotFound("no such calendar")
    return await _feed(ctx, first, last, found.official, lang)


async def _feed(
    ctx: ServiceContext, first: date | None, last: date | None, official: str | None, lang: Lang
) -> Response:
    first = first or today() - timedelta(days=30)
    last = last or today() + timedelta(days=365)
    if last < first or (last - first).days > MAX_DAYS:
        raise RuleViolation(f"'to' must follow 'from', at most {MAX_DAYS} days later")
    async with ctx.db.unit_of_work(write=False) as session:
        visits = await VisitRepository(session).in_period(first, last)
        meetings = await ActivityRepository(session, tables.meetings, Meeting, "meeting").in_period(
            first, last
        )
        events = await ActivityRepository(
            session, tables.international_events, InternationalEvent, "international event"
        ).in_period(first, last)
        trips = await ActivityRepository(
            session, tables.business_trips, BusinessTrip, "business trip"
        ).in_period(first, last)
    body = build_calendar(
        visits, meetings, events, official,
        trips=trips, lang=lang, zone=ctx.settings.office_timezone,
    )  # fmt: skip
    return Response(body, media_type="text/calendar; charset=utf-8")
